<?php
/**
 * What visitors get: the agent's loader script (enqueued async, only on the configured pages), its settings in
 * window.SupportAgentConfig, the [support_agent] shortcode and the "Support chat" block for an inline chat,
 * and for logged-in users a signed identity token plus a REST route that renews it (the widget asks for a fresh
 * one when a page stays open past the token's five minutes).
 *
 * @package SupportAgent
 */

defined( 'ABSPATH' ) || exit;

/**
 * Front-end hooks.
 */
final class Support_Agent_Frontend {

	const HANDLE = 'support-agent';

	const REST_NAMESPACE = 'support-agent/v1';

	/**
	 * Hooks into WordPress.
	 */
	public function register(): void {
		add_action( 'wp_enqueue_scripts', array( $this, 'maybe_enqueue' ) );
		add_action( 'init', array( $this, 'register_block_and_shortcode' ) );
		add_action( 'rest_api_init', array( $this, 'register_rest_routes' ) );
	}

	/**
	 * The shortcode, and the block (its editor script and metadata live in blocks/inline-chat).
	 */
	public function register_block_and_shortcode(): void {
		add_shortcode( 'support_agent', array( $this, 'render_inline' ) );
		register_block_type(
			SUPPORT_AGENT_DIR . 'blocks/inline-chat',
			array( 'render_callback' => array( $this, 'render_inline' ) )
		);
	}

	/**
	 * Enqueues the floating chat on the pages chosen in the settings.
	 */
	public function maybe_enqueue(): void {
		if ( '' === Support_Agent_Options::agent_url() || ! $this->shows_here() ) {
			return;
		}
		$this->enqueue();
	}

	/**
	 * Whether the settings put the floating chat on the current page.
	 */
	private function shows_here(): bool {
		$options = Support_Agent_Options::all();
		$mode    = (string) $options['pages_mode'];
		if ( 'all' === $mode ) {
			return true;
		}
		if ( 'none' === $mode ) {
			return false;
		}
		$listed = is_singular() && in_array( get_queried_object_id(), (array) $options['page_ids'], true );
		return 'include' === $mode ? $listed : ! $listed;
	}

	/**
	 * Adds the loader (async, no version query: the agent sets its cache headers) and its settings.
	 */
	private function enqueue(): void {
		if ( wp_script_is( self::HANDLE, 'enqueued' ) ) {
			return;
		}
		// The loading strategy argument arrived in WordPress 6.3; before it, a plain footer script with the async
		// attribute added by the tag filter does the same.
		$has_strategy = self::supports_script_strategy();
		wp_enqueue_script(
			self::HANDLE,
			Support_Agent_Options::agent_url() . '/widget.js',
			array(),
			null, // phpcs:ignore WordPress.WP.EnqueuedResourceParameters.MissingVersion -- the agent versions its own bundle.
			$has_strategy ? array(
				'strategy'  => 'async',
				'in_footer' => true,
			) : true
		);
		if ( ! $has_strategy ) {
			add_filter( 'script_loader_tag', array( $this, 'add_async' ), 10, 2 );
		}
		// JSON_HEX_TAG: no "</script>" can end the inline script early, whatever the settings contain.
		$config = wp_json_encode( $this->widget_config(), JSON_HEX_TAG | JSON_HEX_AMP );
		wp_add_inline_script( self::HANDLE, 'window.SupportAgentConfig = ' . $config . ';', 'before' );
	}

	/**
	 * Whether wp_enqueue_script() takes a loading strategy (WordPress 6.3 and later).
	 */
	public static function supports_script_strategy(): bool {
		return version_compare( (string) get_bloginfo( 'version' ), '6.3', '>=' );
	}

	/**
	 * Adds async to the loader's tag on WordPress before 6.3.
	 *
	 * @param string $tag    The script tag.
	 * @param string $handle Its handle.
	 */
	public function add_async( string $tag, string $handle ): string {
		return self::HANDLE === $handle && ! str_contains( $tag, ' async' ) ? str_replace( '<script ', '<script async ', $tag ) : $tag;
	}

	/**
	 * Settings for the widget; string values only, as the widget reads them.
	 *
	 * @return array<string, string>
	 */
	private function widget_config(): array {
		$options = Support_Agent_Options::all();
		$config  = array(
			'api'      => Support_Agent_Options::agent_url(),
			'title'    => (string) $options['title'],
			'greeting' => (string) $options['greeting'],
			'color'    => (string) $options['color'],
			'position' => (string) $options['position'],
			'lang'     => (string) $options['language'],
		);
		$token = $this->current_user_token();
		if ( null !== $token ) {
			$config['identityToken']      = $token;
			$config['identityRefreshUrl'] = rest_url( self::REST_NAMESPACE . '/token' );
			$config['identityNonce']      = wp_create_nonce( 'wp_rest' );
		}
		return array_filter( $config, static fn ( $value ) => '' !== $value );
	}

	/**
	 * A fresh identity token for the logged-in user, or null (logged out, or signing not configured).
	 */
	private function current_user_token(): ?string {
		if ( ! is_user_logged_in() || ! Support_Agent_Options::can_sign() ) {
			return null;
		}
		$user = wp_get_current_user();
		if ( ! $user->exists() || ! is_email( $user->user_email ) ) {
			return null;
		}
		$claims = Support_Agent_Token::claims(
			home_url(),
			Support_Agent_Options::agent_url(),
			(string) $user->ID,
			(string) $user->user_email,
			(string) $user->display_name,
			time()
		);
		return Support_Agent_Token::mint( $claims, (string) Support_Agent_Options::all()['secret'] );
	}

	/**
	 * The shortcode and the block: a box the widget fills with an inline chat.
	 *
	 * @param array<string, mixed>|string $attributes Shortcode or block attributes.
	 * @return string HTML.
	 */
	public function render_inline( $attributes = array() ): string {
		if ( '' === Support_Agent_Options::agent_url() ) {
			return '';
		}
		$attributes = shortcode_atts( array( 'height' => 560 ), is_array( $attributes ) ? $attributes : array(), 'support_agent' );
		$height     = min( 1000, max( 320, absint( $attributes['height'] ) ) );
		$this->enqueue();
		return sprintf(
			// display:block: the widget's shadow host resets itself to inline (all:initial), where a height does nothing.
			'<div class="support-agent-inline" data-support-agent-inline style="display:block;height:%dpx;max-width:100%%"></div>',
			$height
		);
	}

	/**
	 * GET /wp-json/support-agent/v1/token: a new token for the logged-in user (cookie + REST nonce).
	 */
	public function register_rest_routes(): void {
		register_rest_route(
			self::REST_NAMESPACE,
			'/token',
			array(
				'methods'             => 'GET',
				'callback'            => array( $this, 'rest_token' ),
				'permission_callback' => static fn () => is_user_logged_in(),
			)
		);
	}

	/**
	 * The REST callback.
	 *
	 * @return WP_REST_Response|WP_Error
	 */
	public function rest_token() {
		$token = $this->current_user_token();
		if ( null === $token ) {
			return new WP_Error( 'support_agent_no_identity', __( 'Signing is not configured.', 'support-agent' ), array( 'status' => 404 ) );
		}
		$response = new WP_REST_Response(
			array(
				'token'      => $token,
				'expires_in' => Support_Agent_Token::LIFETIME,
			)
		);
		$response->header( 'Cache-Control', 'no-store, private' );
		return $response;
	}
}
