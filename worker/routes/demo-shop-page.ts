/**
 * The demo shop at `/` of `npm start`: a small Fernhill Outfitters storefront with the chat widget embedded
 * exactly as a site owner would embed it (one script tag with data- attributes), plus a few things to ask.
 * Static text only; the one variable, the language, is checked by the route to be two lowercase letters.
 * Served by worker/routes/widget.ts; the browser tests run against it.
 */

const PRODUCTS = [
  { name: "Alpine Shell Jacket", price: "EUR 189.90", note: "Three-layer waterproof shell", hue: "#2f5d3a" },
  {
    name: "Tarn Mid Waterproof Boot",
    price: "EUR 169.00",
    note: "Leather upper, lugged sole",
    hue: "#6b4226",
  },
  { name: "Merino Hiking Socks", price: "EUR 19.90", note: "Cushioned, odour-resistant", hue: "#55606e" },
  { name: "Ridgeline 2 Tent", price: "EUR 349.00", note: "Two-person, 1.9 kg", hue: "#8a5a00" },
];

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;background:#fbfaf7}
a{color:#1f4e8c}
header{display:flex;flex-wrap:wrap;align-items:center;gap:16px;padding:16px 24px;background:#2f5d3a;color:#fff}
header a{color:#fff}
header .brand{font-weight:700;font-size:20px;margin-right:auto;text-decoration:none}
nav ul{display:flex;gap:16px;list-style:none;margin:0;padding:0}
main{max-width:1040px;margin:0 auto;padding:24px}
.hero{padding:32px 0 8px}
.hero h1{margin:0 0 8px;font-size:32px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:16px;padding:0;list-style:none}
.card{background:#fff;border:1px solid #d0d7de;border-radius:12px;overflow:hidden}
.card .img{height:120px}
.card div.body{padding:12px 16px}
.card h3{margin:0 0 4px;font-size:17px}
.card p{margin:0;color:#57606a}
.price{font-weight:600;color:#1f2328!important;margin-top:6px!important}
.try{background:#fff;border:1px solid #d0d7de;border-radius:12px;padding:16px 20px;margin-top:24px}
.try code{background:#eef1f4;padding:1px 5px;border-radius:4px}
footer{max-width:1040px;margin:32px auto;padding:0 24px;color:#57606a;font-size:14px}
`;

export function demoShopPage(options: { lang: string | null }): string {
  const cards = PRODUCTS.map(
    (p) => `<li class="card"><div class="img" style="background:${p.hue}" aria-hidden="true"></div>
      <div class="body"><h3>${p.name}</h3><p>${p.note}</p><p class="price">${p.price}</p></div></li>`,
  ).join("\n      ");
  const lang = options.lang ? ` data-lang="${options.lang}"` : "";
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Fernhill Outfitters: outdoor gear (demo shop)</title>
  <style>${STYLE}</style>
</head>
<body>
  <header>
    <a class="brand" href="/">Fernhill Outfitters</a>
    <nav aria-label="Main"><ul><li><a href="#shop">Shop</a></li><li><a href="#help">Help</a></li></ul></nav>
  </header>
  <main>
    <section class="hero" aria-labelledby="hero-title">
      <h1 id="hero-title">Gear for long days outside</h1>
      <p>This is a demo shop. The chat in the corner is the support agent: it answers from the help centre,
        looks up orders, and hands over to a person when you ask.</p>
    </section>
    <section id="shop" aria-labelledby="shop-title">
      <h2 id="shop-title">Bestsellers</h2>
      <ul class="grid">
      ${cards}
      </ul>
    </section>
    <section id="help" class="try" aria-labelledby="help-title">
      <h2 id="help-title">Things to ask the support chat</h2>
      <ul>
        <li><code>How long do refunds take?</code></li>
        <li><code>Where is my order FH-100231? My email is ana.kovac@example.com</code></li>
        <li><code>I'd like to talk to a person</code></li>
      </ul>
      <p>Other languages: <a href="/?lang=es">Español</a>, <a href="/?lang=de">Deutsch</a>,
        <a href="/?lang=fr">Français</a>, <a href="/">English</a>.</p>
    </section>
  </main>
  <footer>Fernhill Outfitters is a fictional shop. Orders, people and tracking numbers are invented.</footer>
  <script src="/widget.js" async data-title="Fernhill support" data-color="#2f5d3a"${lang}></script>
</body>
</html>
`;
}
