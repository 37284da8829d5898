/**
 * A local stand-in for a Cloudflare Access team domain: serves the team's public keys at
 * `/cdn-cgi/access/certs` (JWKS, RS256, like Access) and mints assertions at `POST /_fake/mint`
 * `{ email, aud, iss?, expiresIn?, foreignKey? }` so Workers tests can send `Cf-Access-Jwt-Assertion`.
 * `foreignKey: true` signs with a key the JWKS does not list (a forged token).
 */
import { createServer } from "node:http";
import { exportJWK, generateKeyPair, SignJWT } from "jose";

export async function startFakeAccess(): Promise<{ url: string; close(): Promise<void> }> {
  const team = await generateKeyPair("RS256", { extractable: true });
  const foreign = await generateKeyPair("RS256", { extractable: true });
  const jwk = { ...(await exportJWK(team.publicKey)), kid: "fake-access-1", alg: "RS256", use: "sig" };
  let url = "";
  const server = createServer(async (req, res) => {
    if (req.method === "GET" && req.url === "/cdn-cgi/access/certs") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ keys: [jwk], public_cert: { kid: jwk.kid }, public_certs: [] }));
      return;
    }
    if (req.method === "POST" && req.url === "/_fake/mint") {
      let body = "";
      for await (const chunk of req) body += chunk;
      const input = JSON.parse(body) as {
        email: string;
        aud: string;
        iss?: string;
        expiresIn?: string;
        foreignKey?: boolean;
      };
      const token = await new SignJWT({ email: input.email, type: "app" })
        .setProtectedHeader({ alg: "RS256", kid: jwk.kid })
        .setIssuer(input.iss ?? url)
        .setAudience(input.aud)
        .setSubject(crypto.randomUUID())
        .setIssuedAt()
        .setExpirationTime(input.expiresIn ?? "5m")
        .sign(input.foreignKey ? foreign.privateKey : team.privateKey);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ token }));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  return {
    url,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
