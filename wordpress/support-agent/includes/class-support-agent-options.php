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
			'identify_users' => true,
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
}
