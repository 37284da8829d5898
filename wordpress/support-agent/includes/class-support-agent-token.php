<?php
/**
 * Mints the short-lived identity token the chat agent trusts for a logged-in visitor: an HS256 JWT over
 * iss (this site), aud (the agent), sub (the user id), email, name, iat and exp (five minutes, never more
 * than ten). The agent verifies it in worker/identity.ts with the same shared secret. Kept free of WordPress
 * calls so CI can mint tokens with plain php-cli and check the agent accepts them.
 *
 * @package SupportAgent
 */

defined( 'ABSPATH' ) || exit;

/**
 * HS256 JSON Web Tokens for visitor identity.
 */
final class Support_Agent_Token {

	/** Seconds a token is valid: long enough for a page view, short enough that a leaked one soon dies. */
	const LIFETIME = 300;

	/** The agent refuses anything longer; keep the two in step. */
	const MAX_LIFETIME = 600;

	/** Bytes of shared secret below which neither side signs or verifies. */
	const MIN_SECRET_BYTES = 32;

	/**
	 * The claims for one visitor.
	 *
	 * @param string $issuer   This site's URL (home_url()); the agent's IDENTITY_ISSUER.
	 * @param string $audience The agent's URL; the agent's IDENTITY_AUDIENCE.
	 * @param string $subject  A stable user id.
	 * @param string $email    The user's email address.
	 * @param string $name     The display name ('' to leave it out).
	 * @param int    $now      Unix time.
	 * @return array<string, string|int>
	 */
	public static function claims( string $issuer, string $audience, string $subject, string $email, string $name, int $now ): array {
		$claims = array(
			'iss'   => $issuer,
			'aud'   => $audience,
			'sub'   => $subject,
			'email' => $email,
			'iat'   => $now,
			'exp'   => $now + self::LIFETIME,
		);
		if ( '' !== $name ) {
			$claims['name'] = $name;
		}
		return $claims;
	}

	/**
	 * Signs claims as a compact JWT.
	 *
	 * @param array<string, mixed> $claims Claims; exp - iat must not exceed MAX_LIFETIME.
	 * @param string               $secret The shared secret, at least MIN_SECRET_BYTES long.
	 * @return string The token.
	 * @throws InvalidArgumentException When the secret is too short or the lifetime too long.
	 */
	public static function mint( array $claims, string $secret ): string {
		if ( strlen( $secret ) < self::MIN_SECRET_BYTES ) {
			throw new InvalidArgumentException( 'The shared secret is too short.' );
		}
		$iat = isset( $claims['iat'] ) ? (int) $claims['iat'] : 0;
		$exp = isset( $claims['exp'] ) ? (int) $claims['exp'] : 0;
		if ( $exp <= $iat || $exp - $iat > self::MAX_LIFETIME ) {
			throw new InvalidArgumentException( 'Token lifetime must be positive and at most ten minutes.' );
		}
		$header  = self::encode( array( 'alg' => 'HS256', 'typ' => 'JWT' ) );
		$payload = self::encode( $claims );
		$input   = $header . '.' . $payload;
		return $input . '.' . self::base64url( hash_hmac( 'sha256', $input, $secret, true ) );
	}

	/**
	 * JSON, then base64url without padding.
	 *
	 * @param array<string, mixed> $data The object to encode.
	 */
	private static function encode( array $data ): string {
		return self::base64url( (string) json_encode( $data, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_THROW_ON_ERROR ) );
	}

	/**
	 * Base64url (RFC 4648 section 5) without padding, as JWTs use.
	 *
	 * @param string $bytes Raw bytes.
	 */
	private static function base64url( string $bytes ): string {
		return rtrim( strtr( base64_encode( $bytes ), '+/', '-_' ), '=' ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode -- JWT encoding, not obfuscation.
	}
}
