<?php
/**
 * Verifies a delivery signed per the Standard Webhooks spec (https://www.standardwebhooks.com): the
 * webhook-signature header holds one or more space-separated "v1,<base64 HMAC-SHA256>" over
 * "<webhook-id>.<webhook-timestamp>.<body>", keyed with the base64 part of the endpoint's "whsec_..." secret.
 * Free of WordPress calls so php-cli can test it against signatures made by the `standardwebhooks` package.
 *
 * @package SupportAgent
 */

defined( 'ABSPATH' ) || exit;

/**
 * Standard Webhooks signature check.
 */
final class Support_Agent_Webhook_Signature {

	/** Seconds a delivery's timestamp may be away from now (the spec's suggested five minutes). */
	const TOLERANCE = 300;

	const SECRET_PREFIX = 'whsec_';

	/**
	 * Whether a secret has the shape the agent hands out: "whsec_" and base64 of at least 24 bytes.
	 *
	 * @param string $secret The endpoint secret.
	 */
	public static function valid_secret( string $secret ): bool {
		$key = self::key( $secret );
		return null !== $key && strlen( $key ) >= 24;
	}

	/**
	 * Checks one delivery.
	 *
	 * @param string $secret     The endpoint secret ("whsec_...").
	 * @param string $id         The webhook-id header.
	 * @param string $timestamp  The webhook-timestamp header (Unix seconds).
	 * @param string $signatures The webhook-signature header.
	 * @param string $body       The raw request body, byte for byte.
	 * @param int    $now        Unix time.
	 * @return string '' when valid, else why not: missing_headers, bad_secret, stale_timestamp, bad_signature.
	 */
	public static function verify( string $secret, string $id, string $timestamp, string $signatures, string $body, int $now ): string {
		if ( '' === $id || '' === $signatures || ! preg_match( '/^\d{1,12}$/', $timestamp ) ) {
			return 'missing_headers';
		}
		$key = self::key( $secret );
		if ( null === $key ) {
			return 'bad_secret';
		}
		if ( abs( $now - (int) $timestamp ) > self::TOLERANCE ) {
			return 'stale_timestamp';
		}
		$expected = base64_encode( hash_hmac( 'sha256', $id . '.' . $timestamp . '.' . $body, $key, true ) ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode -- the spec's encoding.
		foreach ( preg_split( '/\s+/', trim( $signatures ) ) as $candidate ) {
			$parts = explode( ',', $candidate, 2 );
			// hash_equals: constant time, so a forger learns nothing from how long the comparison took.
			if ( 2 === count( $parts ) && 'v1' === $parts[0] && hash_equals( $expected, $parts[1] ) ) {
				return '';
			}
		}
		return 'bad_signature';
	}

	/**
	 * The HMAC key inside a secret, or null when it is not base64.
	 *
	 * @param string $secret The endpoint secret.
	 */
	private static function key( string $secret ): ?string {
		$encoded = str_starts_with( $secret, self::SECRET_PREFIX ) ? substr( $secret, strlen( self::SECRET_PREFIX ) ) : $secret;
		$key     = base64_decode( $encoded, true ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_decode -- the spec's encoding.
		return false === $key || '' === $key ? null : $key;
	}
}
