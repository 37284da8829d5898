<?php
/**
 * The plugin's settings: one option array, its defaults, and typed reads. Used by the settings page (which
 * writes it) and the front end (which reads it).
 *
 * @package SupportAgent
 */

defined( 'ABSPATH' ) || exit;

/**
 * Reads the support_agent_options option with defaults filled in.
 */
final class Support_Agent_Options {

	const OPTION = 'support_agent_options';

	const POSITIONS = array( 'right', 'left' );

	const LANGUAGES = array( '', 'en', 'es', 'de', 'fr' );

	const PAGE_MODES = array( 'all', 'include', 'exclude', 'none' );

	/**
	 * Defaults: nothing shows until an agent URL is saved.
	 *
	 * @return array<string, mixed>
	 */
	public static function defaults(): array {
		return array(
			'agent_url'      => '',
			'secret'         => '',
			// Off until a secret is saved: without one nothing can be signed.
			'identify_users' => false,
			'webhook_secret' => '',
			'notify_email'   => '',
			'notify_handoff' => true,
			'notify_ticket'  => true,
			'title'          => '',
			'greeting'       => '',
			'color'          => '#1f4e8c',
			'position'       => 'right',
			'language'       => '',
			'pages_mode'     => 'all',
			'page_ids'       => array(),
		);
	}

	/**
	 * The saved settings merged over the defaults.
	 *
	 * @return array<string, mixed>
	 */
	public static function all(): array {
		$saved = get_option( self::OPTION, array() );
		return array_merge( self::defaults(), is_array( $saved ) ? $saved : array() );
	}

	/**
	 * The agent's base URL without a trailing slash, or '' when not configured.
	 */
	public static function agent_url(): string {
		return untrailingslashit( (string) self::all()['agent_url'] );
	}

	/**
	 * Whether the plugin can sign identity tokens: a secret of at least the minimum length is saved.
	 */
	public static function can_sign(): bool {
		$options = self::all();
		return ! empty( $options['identify_users'] )
			&& strlen( (string) $options['secret'] ) >= Support_Agent_Token::MIN_SECRET_BYTES
			&& '' !== self::agent_url();
	}

	/**
	 * Who gets the handoff and ticket emails: the saved address, else the site's admin email.
	 */
	public static function notify_email(): string {
		$saved = (string) self::all()['notify_email'];
		$email = '' !== $saved ? $saved : (string) get_option( 'admin_email', '' );
		return is_email( $email ) ? $email : '';
	}

	/**
	 * The agent's staff console, or one conversation in it.
	 *
	 * @param string $thread_id A thread id, or '' for the inbox.
	 */
	public static function console_url( string $thread_id ): string {
		$base = self::agent_url() . '/console';
		return '' === $thread_id ? $base : $base . '/conversations/' . rawurlencode( $thread_id );
	}
}
