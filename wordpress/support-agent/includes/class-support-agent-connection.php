<?php
/**
 * "Test connection" on the settings page: POST /wp-json/support-agent/v1/test-connection (administrators,
 * REST nonce) asks the agent, from this server, what a visitor's browser would meet: whether it answers at all
 * (GET /readyz), whether it is ready and if not which checks fail, whether this site's origin is in its
 * ALLOWED_ORIGINS (a CORS preflight as the browser sends it), and, when logged-in users are recognised,
 * whether it accepts a token signed with the saved secret (GET /api/agent/threads with X-Identity-Token).
 *
 * @package SupportAgent
 */

defined( 'ABSPATH' ) || exit;

/**
 * The connection check.
 */
final class Support_Agent_Connection {

	const TIMEOUT = 5;

	/**
	 * Hooks into WordPress.
	 */
	public function register(): void {
		add_action( 'rest_api_init', array( $this, 'register_route' ) );
	}

	/**
	 * The route, for those who may change the settings.
	 */
	public function register_route(): void {
		register_rest_route(
			Support_Agent_Frontend::REST_NAMESPACE,
			'/test-connection',
			array(
				'methods'             => 'POST',
				'callback'            => array( $this, 'rest_test' ),
				'permission_callback' => static fn () => current_user_can( 'manage_options' ),
			)
		);
	}

	/**
	 * The REST callback.
	 */
	public function rest_test(): WP_REST_Response {
		$response = new WP_REST_Response( $this->run() );
		$response->header( 'Cache-Control', 'no-store' );
		return $response;
	}

	/**
	 * Runs the checks in order; the first that fails says what to fix.
	 *
	 * @return array{ok: bool, code: string, message: string}
	 */
	public function run(): array {
		$agent = Support_Agent_Options::agent_url();
		if ( '' === $agent ) {
			return self::result( 'no_url', __( 'Enter and save the agent URL first.', 'support-agent' ) );
		}
		$ready = wp_remote_get( $agent . '/readyz', array( 'timeout' => self::TIMEOUT ) );
		if ( is_wp_error( $ready ) ) {
			/* translators: %s: the agent URL. */
			return self::result( 'unreachable', sprintf( __( 'The agent at %s could not be reached from this server. Check the URL and that the agent is running.', 'support-agent' ), $agent ) );
		}
		$body = json_decode( (string) wp_remote_retrieve_body( $ready ), true );
		if ( ! is_array( $body ) || ! isset( $body['ready'] ) ) {
			/* translators: %d: HTTP status. */
			return self::result( 'not_agent', sprintf( __( 'Something answered at this URL (HTTP %d), but it is not the support agent.', 'support-agent' ), (int) wp_remote_retrieve_response_code( $ready ) ) );
		}

		$origin    = self::site_origin();
		$preflight = wp_remote_request(
			$agent . '/api/agent/messages',
			array(
				'method'  => 'OPTIONS',
				'timeout' => self::TIMEOUT,
				'headers' => array(
					'Origin'                         => $origin,
					'Access-Control-Request-Method'  => 'POST',
					'Access-Control-Request-Headers' => 'content-type',
				),
			)
		);
		if ( is_wp_error( $preflight ) ) {
			return self::result( 'unreachable', __( 'The agent stopped answering during the check.', 'support-agent' ) );
		}
		if ( wp_remote_retrieve_header( $preflight, 'access-control-allow-origin' ) !== $origin ) {
			/* translators: %s: this site's origin. */
			return self::result( 'origin_not_allowed', sprintf( __( 'The agent does not allow this site: add %s to ALLOWED_ORIGINS on the agent.', 'support-agent' ), $origin ) );
		}

		if ( Support_Agent_Options::can_sign() ) {
			$user   = wp_get_current_user();
			$claims = Support_Agent_Token::claims( home_url(), $agent, (string) $user->ID, (string) $user->user_email, '', time() );
			$signed = wp_remote_get(
				$agent . '/api/agent/threads',
				array(
					'timeout' => self::TIMEOUT,
					'headers' => array(
						'Origin'           => $origin,
						'X-Identity-Token' => Support_Agent_Token::mint( $claims, (string) Support_Agent_Options::all()['secret'] ),
					),
				)
			);
			if ( is_wp_error( $signed ) ) {
				return self::result( 'unreachable', __( 'The agent stopped answering during the check.', 'support-agent' ) );
			}
			if ( 401 === (int) wp_remote_retrieve_response_code( $signed ) ) {
				/* translators: 1: this site's URL, 2: the agent URL. */
				return self::result( 'secret_mismatch', sprintf( __( 'The agent refused the sign-in token: the shared secret must equal IDENTITY_SECRET on the agent, IDENTITY_ISSUER must be %1$s and IDENTITY_AUDIENCE %2$s.', 'support-agent' ), home_url(), $agent ) );
			}
		}

		if ( true !== $body['ready'] ) {
			return self::result( 'not_ready', __( 'Connected, but the agent reports it is not ready (see its /readyz): visitors may get degraded answers.', 'support-agent' ) );
		}
		return array(
			'ok'      => true,
			'code'    => 'ok',
			'message' => Support_Agent_Options::can_sign()
				? __( 'Connected: the agent is ready, allows this site and accepts its sign-in tokens.', 'support-agent' )
				: __( 'Connected: the agent is ready and allows this site.', 'support-agent' ),
		);
	}

	/**
	 * This site's origin as a browser sends it (scheme, host, port).
	 */
	public static function site_origin(): string {
		$home   = home_url();
		$origin = wp_parse_url( $home, PHP_URL_SCHEME ) . '://' . wp_parse_url( $home, PHP_URL_HOST );
		$port   = wp_parse_url( $home, PHP_URL_PORT );
		return $port ? $origin . ':' . $port : $origin;
	}

	/**
	 * A failed check.
	 *
	 * @param string $code    Stable code.
	 * @param string $message What to fix.
	 * @return array{ok: bool, code: string, message: string}
	 */
	private static function result( string $code, string $message ): array {
		return array(
			'ok'      => false,
			'code'    => $code,
			'message' => $message,
		);
	}
}
