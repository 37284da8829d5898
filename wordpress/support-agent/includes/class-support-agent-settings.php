<?php
/**
 * The settings page (Settings > Support Agent): agent URL, shared secret, appearance, and on which pages the
 * chat shows. Built on the Settings API, so options.php checks the nonce and the capability; every field is
 * sanitised before it is saved, and the secret is never printed back into the page.
 *
 * @package SupportAgent
 */

defined( 'ABSPATH' ) || exit;

/**
 * Registers and renders the settings page.
 */
final class Support_Agent_Settings {

	const PAGE = 'support-agent';

	const GROUP = 'support_agent';

	/**
	 * Hooks into the admin.
	 */
	public function register(): void {
		add_action( 'admin_menu', array( $this, 'add_page' ) );
		add_action( 'admin_init', array( $this, 'register_settings' ) );
		add_filter( 'plugin_action_links_' . plugin_basename( SUPPORT_AGENT_FILE ), array( $this, 'action_links' ) );
	}

	/**
	 * Adds Settings > Support Agent for administrators.
	 */
	public function add_page(): void {
		add_options_page(
			__( 'Support Agent', 'support-agent' ),
			__( 'Support Agent', 'support-agent' ),
			'manage_options',
			self::PAGE,
			array( $this, 'render_page' )
		);
	}

	/**
	 * A "Settings" link on the Plugins screen.
	 *
	 * @param string[] $links Existing links.
	 * @return string[]
	 */
	public function action_links( array $links ): array {
		$url = admin_url( 'options-general.php?page=' . self::PAGE );
		array_unshift( $links, '<a href="' . esc_url( $url ) . '">' . esc_html__( 'Settings', 'support-agent' ) . '</a>' );
		return $links;
	}

	/**
	 * Declares the option, its sections and fields.
	 */
	public function register_settings(): void {
		register_setting(
			self::GROUP,
			Support_Agent_Options::OPTION,
			array(
				'type'              => 'array',
				'sanitize_callback' => array( $this, 'sanitize' ),
				'default'           => Support_Agent_Options::defaults(),
				'show_in_rest'      => false,
			)
		);

		add_settings_section( 'support_agent_connection', __( 'Connection', 'support-agent' ), array( $this, 'render_connection_help' ), self::PAGE );
		$this->field( 'agent_url', __( 'Agent URL', 'support-agent' ), 'support_agent_connection' );
		$this->field( 'secret', __( 'Shared secret', 'support-agent' ), 'support_agent_connection' );
		$this->field( 'identify_users', __( 'Recognise logged-in users', 'support-agent' ), 'support_agent_connection' );

		add_settings_section( 'support_agent_notifications', __( 'Handoffs and tickets', 'support-agent' ), array( $this, 'render_webhook_help' ), self::PAGE );
		$this->field( 'webhook_secret', __( 'Webhook secret', 'support-agent' ), 'support_agent_notifications' );
		$this->field( 'notify_email', __( 'Email notifications to', 'support-agent' ), 'support_agent_notifications' );
		$this->field( 'notify_handoff', __( 'Email me when', 'support-agent' ), 'support_agent_notifications' );

		add_settings_section( 'support_agent_appearance', __( 'Appearance', 'support-agent' ), '__return_false', self::PAGE );
		$this->field( 'title', __( 'Title', 'support-agent' ), 'support_agent_appearance' );
		$this->field( 'greeting', __( 'Greeting', 'support-agent' ), 'support_agent_appearance' );
		$this->field( 'color', __( 'Accent colour', 'support-agent' ), 'support_agent_appearance' );
		$this->field( 'position', __( 'Position', 'support-agent' ), 'support_agent_appearance' );
		$this->field( 'language', __( 'Language', 'support-agent' ), 'support_agent_appearance' );

		add_settings_section( 'support_agent_pages', __( 'Where the chat appears', 'support-agent' ), '__return_false', self::PAGE );
		$this->field( 'pages_mode', __( 'Show on', 'support-agent' ), 'support_agent_pages' );
		$this->field( 'page_ids', __( 'Page or post IDs', 'support-agent' ), 'support_agent_pages' );
	}

	/**
	 * Adds one field rendered by render_field().
	 *
	 * @param string $key     Option key.
	 * @param string $label   Visible label.
	 * @param string $section Section id.
	 */
	private function field( string $key, string $label, string $section ): void {
		add_settings_field(
			'support_agent_' . $key,
			$label,
			array( $this, 'render_field' ),
			self::PAGE,
			$section,
			array(
				'key'       => $key,
				'label_for' => 'support_agent_' . $key,
			)
		);
	}

	/**
	 * Validates and cleans submitted settings; anything invalid keeps its saved value and says why.
	 *
	 * @param mixed $input The submitted values.
	 * @return array<string, mixed>
	 */
	public function sanitize( $input ): array {
		$saved = Support_Agent_Options::all();
		$input = is_array( $input ) ? wp_unslash( $input ) : array();
		$clean = $saved;

		// esc_url_raw() blanks what it refuses (javascript:, data:, ...): a typed value that comes back empty is
		// an error to show, never a silently cleared setting.
		$typed = isset( $input['agent_url'] ) ? trim( (string) $input['agent_url'] ) : '';
		$url   = '' === $typed ? '' : esc_url_raw( $typed, array( 'https', 'http' ) );
		if ( '' === $typed || ( '' !== $url && $this->acceptable_agent_url( $url ) ) ) {
			$clean['agent_url'] = untrailingslashit( $url );
		} else {
			add_settings_error( Support_Agent_Options::OPTION, 'agent_url', __( 'The agent URL must start with https:// (http:// only for localhost). The previous URL was kept.', 'support-agent' ) );
		}

		$secret = isset( $input['secret'] ) ? trim( (string) $input['secret'] ) : '';
		if ( '' !== $secret ) {
			if ( strlen( $secret ) >= Support_Agent_Token::MIN_SECRET_BYTES ) {
				$clean['secret'] = $secret;
			} else {
				/* translators: %d: minimum number of characters. */
				add_settings_error( Support_Agent_Options::OPTION, 'secret', sprintf( __( 'The shared secret must be at least %d characters. The previous secret was kept.', 'support-agent' ), Support_Agent_Token::MIN_SECRET_BYTES ) );
			}
		}
		$has_secret              = strlen( (string) $clean['secret'] ) >= Support_Agent_Token::MIN_SECRET_BYTES;
		$clean['identify_users'] = $has_secret && ! empty( $input['identify_users'] );
		if ( ! $has_secret && ! empty( $input['identify_users'] ) ) {
			add_settings_error( Support_Agent_Options::OPTION, 'identify_users', __( 'Recognising logged-in users needs a shared secret first; it stays off.', 'support-agent' ) );
		}

		$webhook_secret = isset( $input['webhook_secret'] ) ? trim( (string) $input['webhook_secret'] ) : '';
		if ( '' !== $webhook_secret ) {
			if ( Support_Agent_Webhook_Signature::valid_secret( $webhook_secret ) ) {
				$clean['webhook_secret'] = $webhook_secret;
			} else {
				add_settings_error( Support_Agent_Options::OPTION, 'webhook_secret', __( 'The webhook secret must be the whsec_... value the agent gave when the webhook was added. The previous one was kept.', 'support-agent' ) );
			}
		}
		$notify_email = isset( $input['notify_email'] ) ? sanitize_email( (string) $input['notify_email'] ) : '';
		if ( '' === $notify_email || is_email( $notify_email ) ) {
			$clean['notify_email'] = $notify_email;
		}
		if ( isset( $input['notify_email'] ) && '' !== trim( (string) $input['notify_email'] ) && '' === $notify_email ) {
			add_settings_error( Support_Agent_Options::OPTION, 'notify_email', __( 'The notification address is not an email address. The previous one was kept.', 'support-agent' ) );
		}
		$clean['notify_handoff'] = ! empty( $input['notify_handoff'] );
		$clean['notify_ticket']  = ! empty( $input['notify_ticket'] );

		$clean['title']    = isset( $input['title'] ) ? sanitize_text_field( (string) $input['title'] ) : '';
		$clean['greeting'] = isset( $input['greeting'] ) ? sanitize_text_field( (string) $input['greeting'] ) : '';
		$color             = isset( $input['color'] ) ? sanitize_hex_color( (string) $input['color'] ) : '';
		$clean['color']    = $color ? $color : Support_Agent_Options::defaults()['color'];
		$clean['position'] = $this->one_of( $input, 'position', Support_Agent_Options::POSITIONS );
		$clean['language'] = $this->one_of( $input, 'language', Support_Agent_Options::LANGUAGES );

		$clean['pages_mode'] = $this->one_of( $input, 'pages_mode', Support_Agent_Options::PAGE_MODES );
		// WordPress runs this callback a second time, on the cleaned array, when the option is first added.
		$ids               = $input['page_ids'] ?? array();
		$ids               = is_array( $ids ) ? $ids : preg_split( '/[\s,]+/', (string) $ids );
		$clean['page_ids'] = array_values( array_unique( array_filter( array_map( 'absint', is_array( $ids ) ? $ids : array() ) ) ) );

		return $clean;
	}

	/**
	 * HTTPS, or plain HTTP to this machine for local development.
	 *
	 * @param string $url A URL already passed through esc_url_raw().
	 */
	private function acceptable_agent_url( string $url ): bool {
		$parts = wp_parse_url( $url );
		if ( ! is_array( $parts ) || empty( $parts['host'] ) || empty( $parts['scheme'] ) ) {
			return false;
		}
		return 'https' === $parts['scheme'] || in_array( $parts['host'], array( 'localhost', '127.0.0.1', '[::1]' ), true );
	}

	/**
	 * The submitted value if it is one of the allowed ones, else the first allowed one.
	 *
	 * @param array<string, mixed> $input   Submitted values.
	 * @param string               $key     Option key.
	 * @param string[]             $allowed Allowed values.
	 */
	private function one_of( array $input, string $key, array $allowed ): string {
		$value = isset( $input[ $key ] ) ? sanitize_key( (string) $input[ $key ] ) : '';
		return in_array( $value, $allowed, true ) ? $value : $allowed[0];
	}

	/**
	 * What to set on the agent so the two sides agree.
	 */
	public function render_connection_help(): void {
		$origin = wp_parse_url( home_url(), PHP_URL_SCHEME ) . '://' . wp_parse_url( home_url(), PHP_URL_HOST );
		$port   = wp_parse_url( home_url(), PHP_URL_PORT );
		if ( $port ) {
			$origin .= ':' . $port;
		}
		echo '<p>' . esc_html__( 'On the agent (Worker variables and secrets), set:', 'support-agent' ) . '</p><ul>';
		printf( '<li><code>ALLOWED_ORIGINS</code> %s <code>%s</code></li>', esc_html__( 'includes', 'support-agent' ), esc_html( $origin ) );
		printf( '<li><code>IDENTITY_ISSUER</code> = <code>%s</code></li>', esc_html( home_url() ) );
		printf( '<li><code>IDENTITY_AUDIENCE</code> = <code>%s</code></li>', esc_html( Support_Agent_Options::agent_url() ? Support_Agent_Options::agent_url() : __( '(the agent URL below)', 'support-agent' ) ) );
		echo '<li><code>IDENTITY_SECRET</code> = ' . esc_html__( 'the shared secret below (wrangler secret put IDENTITY_SECRET)', 'support-agent' ) . '</li></ul>';
	}

	/**
	 * How to point the agent's webhooks at this site.
	 */
	public function render_webhook_help(): void {
		echo '<p>' . esc_html__( 'Add this site as a webhook on the agent (POST /api/admin/webhooks with the admin token) and paste the secret it returns:', 'support-agent' ) . '</p>';
		printf( '<p><code>%s</code></p>', esc_html( rest_url( Support_Agent_Frontend::REST_NAMESPACE . '/webhook' ) ) );
	}

	/**
	 * One field's control.
	 *
	 * @param array{key: string, label_for: string} $args Field arguments.
	 */
	public function render_field( array $args ): void {
		$options = Support_Agent_Options::all();
		$key     = $args['key'];
		$id      = $args['label_for'];
		$name    = Support_Agent_Options::OPTION . '[' . $key . ']';
		$value   = $options[ $key ] ?? '';

		switch ( $key ) {
			case 'secret':
				$saved = strlen( (string) $value ) >= Support_Agent_Token::MIN_SECRET_BYTES;
				printf(
					'<input type="password" id="%1$s" name="%2$s" value="" class="regular-text" autocomplete="new-password" placeholder="%3$s" aria-describedby="%1$s-help" />',
					esc_attr( $id ),
					esc_attr( $name ),
					esc_attr( $saved ? __( 'Saved. Leave empty to keep it.', 'support-agent' ) : '' )
				);
				if ( $saved ) {
					// No fresh suggestion once a secret is saved: a value changing on every visit reads as if the saved one had.
					printf( '<p class="description" id="%1$s-help">%2$s</p>', esc_attr( $id ), esc_html__( 'A secret is saved. To change it, enter a new one here and the same value as IDENTITY_SECRET on the agent.', 'support-agent' ) );
					break;
				}
				printf(
					'<p class="description" id="%1$s-help">%2$s <code>%3$s</code></p>',
					esc_attr( $id ),
					/* translators: %d: minimum number of characters. */
					esc_html( sprintf( __( 'At least %d characters, the same value as IDENTITY_SECRET on the agent. A fresh random one:', 'support-agent' ), Support_Agent_Token::MIN_SECRET_BYTES ) ),
					esc_html( wp_generate_password( 48, false ) )
				);
				break;
			case 'identify_users':
				$can = strlen( (string) $options['secret'] ) >= Support_Agent_Token::MIN_SECRET_BYTES;
				printf(
					'<label><input type="checkbox" id="%1$s" name="%2$s" value="1" %3$s %4$s /> %5$s</label>%6$s',
					esc_attr( $id ),
					esc_attr( $name ),
					checked( $can && ! empty( $value ), true, false ),
					$can ? '' : 'disabled',
					esc_html__( 'Send a signed, 5-minute token so the agent can show logged-in customers their own orders.', 'support-agent' ),
					$can ? '' : '<p class="description">' . esc_html__( 'Save a shared secret first.', 'support-agent' ) . '</p>'
				);
				break;
			case 'webhook_secret':
				printf(
					'<input type="password" id="%1$s" name="%2$s" value="" class="regular-text" autocomplete="off" placeholder="%3$s" />',
					esc_attr( $id ),
					esc_attr( $name ),
					esc_attr( '' !== (string) $value ? __( 'Saved. Leave empty to keep it.', 'support-agent' ) : 'whsec_...' )
				);
				break;
			case 'notify_email':
				printf(
					'<input type="email" id="%1$s" name="%2$s" value="%3$s" class="regular-text" placeholder="%4$s" /><p class="description">%5$s</p>',
					esc_attr( $id ),
					esc_attr( $name ),
					esc_attr( (string) $value ),
					esc_attr( (string) get_option( 'admin_email', '' ) ),
					esc_html__( "Empty: the site's administration email address.", 'support-agent' )
				);
				break;
			case 'notify_handoff':
				foreach ( array( 'notify_handoff' => __( 'a conversation needs a person', 'support-agent' ), 'notify_ticket' => __( 'a ticket is opened', 'support-agent' ) ) as $flag => $text ) {
					printf(
						'<label><input type="checkbox" id="support_agent_%1$s" name="%2$s" value="1" %3$s /> %4$s</label><br />',
						esc_attr( $flag ),
						esc_attr( Support_Agent_Options::OPTION . '[' . $flag . ']' ),
						checked( ! empty( $options[ $flag ] ), true, false ),
						esc_html( $text )
					);
				}
				break;
			case 'color':
				printf( '<input type="color" id="%1$s" name="%2$s" value="%3$s" />', esc_attr( $id ), esc_attr( $name ), esc_attr( (string) $value ) );
				break;
			case 'position':
				$this->select( $id, $name, (string) $value, array( 'right' => __( 'Bottom right', 'support-agent' ), 'left' => __( 'Bottom left', 'support-agent' ) ) );
				break;
			case 'language':
				$this->select(
					$id,
					$name,
					(string) $value,
					array(
						''   => __( "Visitor's browser language", 'support-agent' ),
						'en' => 'English',
						'es' => 'Español',
						'de' => 'Deutsch',
						'fr' => 'Français',
					)
				);
				break;
			case 'pages_mode':
				$this->select(
					$id,
					$name,
					(string) $value,
					array(
						'all'     => __( 'Every page', 'support-agent' ),
						'include' => __( 'Only the pages listed below', 'support-agent' ),
						'exclude' => __( 'Every page except those listed below', 'support-agent' ),
						'none'    => __( 'No page (only where the shortcode or block is placed)', 'support-agent' ),
					)
				);
				break;
			case 'page_ids':
				printf(
					'<input type="text" id="%1$s" name="%2$s" value="%3$s" class="regular-text" inputmode="numeric" /><p class="description">%4$s</p>',
					esc_attr( $id ),
					esc_attr( $name ),
					esc_attr( implode( ', ', array_map( 'absint', (array) $value ) ) ),
					esc_html__( 'Comma-separated IDs of pages or posts.', 'support-agent' )
				);
				break;
			default:
				printf(
					'<input type="%1$s" id="%2$s" name="%3$s" value="%4$s" class="regular-text" />',
					'agent_url' === $key ? 'url' : 'text',
					esc_attr( $id ),
					esc_attr( $name ),
					esc_attr( (string) $value )
				);
		}
	}

	/**
	 * A select box.
	 *
	 * @param string                $id      Element id.
	 * @param string                $name    Field name.
	 * @param string                $current Selected value.
	 * @param array<string, string> $choices Value => label.
	 */
	private function select( string $id, string $name, string $current, array $choices ): void {
		printf( '<select id="%1$s" name="%2$s">', esc_attr( $id ), esc_attr( $name ) );
		foreach ( $choices as $value => $label ) {
			printf( '<option value="%1$s" %2$s>%3$s</option>', esc_attr( (string) $value ), selected( $current, (string) $value, false ), esc_html( $label ) );
		}
		echo '</select>';
	}

	/**
	 * The "Test connection" button: asks this site's REST route, which asks the agent (see
	 * Support_Agent_Connection), and shows the answer in a live region.
	 */
	private function render_test_connection(): void {
		echo '<h2>' . esc_html__( 'Connection check', 'support-agent' ) . '</h2>';
		echo '<p><button type="button" class="button" id="support-agent-test">' . esc_html__( 'Test connection', 'support-agent' ) . '</button></p>';
		echo '<div id="support-agent-test-result" role="status" aria-live="polite"></div>';
		$config = wp_json_encode(
			array(
				'url'     => rest_url( Support_Agent_Frontend::REST_NAMESPACE . '/test-connection' ),
				'nonce'   => wp_create_nonce( 'wp_rest' ),
				'waiting' => __( 'Checking…', 'support-agent' ),
				'failed'  => __( 'The check itself failed: this site did not answer.', 'support-agent' ),
			),
			JSON_HEX_TAG | JSON_HEX_AMP
		);
		// Text is set with textContent, so nothing the agent says can become markup here.
		echo '<script>(function(c){var b=document.getElementById("support-agent-test"),o=document.getElementById("support-agent-test-result");'
			. 'function show(ok,text){o.className="notice inline "+(ok?"notice-success":"notice-error");o.innerHTML="";var p=document.createElement("p");p.textContent=text;o.appendChild(p);o.setAttribute("data-code",ok?"ok":"error");}'
			. 'b.addEventListener("click",function(){o.className="";o.textContent=c.waiting;b.disabled=true;'
			. 'fetch(c.url,{method:"POST",credentials:"same-origin",headers:{"X-WP-Nonce":c.nonce}}).then(function(r){return r.json();})'
			. '.then(function(j){show(j.ok===true,j.message||c.failed);o.setAttribute("data-code",j.code||"error");},function(){show(false,c.failed);})'
			. '.then(function(){b.disabled=false;});});})(' . $config . ');</script>'; // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- JSON with HEX_TAG, fixed script.
	}

	/**
	 * The page: settings_fields() prints the nonce and option group that options.php checks.
	 */
	public function render_page(): void {
		if ( ! current_user_can( 'manage_options' ) ) {
			return;
		}
		echo '<div class="wrap"><h1>' . esc_html( get_admin_page_title() ) . '</h1>';
		// Pages under Settings get settings_errors() from core; calling it here would print each notice twice.
		echo '<form action="options.php" method="post">';
		settings_fields( self::GROUP );
		do_settings_sections( self::PAGE );
		submit_button();
		echo '</form>';
		$this->render_test_connection();
		echo '<p>' . esc_html__( 'Inline chat: add the "Support chat" block or the [support_agent] shortcode to any page.', 'support-agent' ) . '</p></div>';
	}
}
