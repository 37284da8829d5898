<?php
/**
 * Runs the plugin's PHP against minimal stand-ins for the WordPress functions it calls, so CI (which has
 * php-cli but no WordPress) catches runtime errors that `php -l` cannot: a misspelt function, a wrong
 * argument type, a warning. Prints one JSON object for token-interop.test.ts to check.
 *
 * @package SupportAgent
 */

// phpcs:disable -- test scaffolding, not plugin code.
declare(strict_types=1);

set_error_handler(
	static function ( int $severity, string $message, string $file, int $line ): bool {
		throw new ErrorException( $message, 0, $severity, $file, $line );
	}
);

define( 'ABSPATH', __DIR__ . '/' );

$GLOBALS['sa_options']  = array();
$GLOBALS['sa_errors']   = array();
$GLOBALS['sa_scripts']  = array();
$GLOBALS['sa_inline']   = array();
$GLOBALS['sa_hooks']    = array();
$GLOBALS['sa_logged_in'] = false;

function add_action( string $hook, $callback ): void { $GLOBALS['sa_hooks'][] = $hook; }
function add_filter( string $hook, $callback ): void { $GLOBALS['sa_hooks'][] = $hook; }
function plugin_dir_path( string $file ): string { return dirname( $file ) . '/'; }
function plugin_basename( string $file ): string { return 'support-agent/' . basename( $file ); }
function get_option( string $name, $default = false ) { return $GLOBALS['sa_options'][ $name ] ?? $default; }
function untrailingslashit( string $s ): string { return rtrim( $s, '/\\' ); }
function trailingslashit( string $s ): string { return untrailingslashit( $s ) . '/'; }
function esc_url_raw( string $url, ?array $protocols = null ): string { return filter_var( $url, FILTER_VALIDATE_URL ) ? $url : ''; }
function esc_url( string $url ): string { return htmlspecialchars( $url, ENT_QUOTES ); }
function wp_unslash( $value ) { return $value; }
function add_settings_error( string $setting, string $code, string $message ): void { $GLOBALS['sa_errors'][] = $code; }
function sanitize_text_field( string $s ): string { return trim( strip_tags( $s ) ); }
function sanitize_hex_color( string $c ): ?string { return preg_match( '/^#([0-9a-f]{3}){1,2}$/i', $c ) ? $c : null; }
function sanitize_key( string $k ): string { return preg_replace( '/[^a-z0-9_\-]/', '', strtolower( $k ) ); }
function absint( $n ): int { return abs( (int) $n ); }
function wp_parse_url( string $url, int $component = -1 ) { return parse_url( $url, $component ); }
function __( string $s, string $domain = 'default' ): string { return $s; }
function esc_html__( string $s, string $domain = 'default' ): string { return htmlspecialchars( $s, ENT_QUOTES ); }
function esc_html( string $s ): string { return htmlspecialchars( $s, ENT_QUOTES ); }
function esc_attr( string $s ): string { return htmlspecialchars( $s, ENT_QUOTES ); }
function home_url( string $path = '' ): string { return 'https://shop.example' . $path; }
function admin_url( string $path = '' ): string { return 'https://shop.example/wp-admin/' . $path; }
function rest_url( string $path = '' ): string { return 'https://shop.example/wp-json/' . $path; }
function checked( $a, $b, bool $echo ): string { return $a === $b ? 'checked="checked"' : ''; }
function selected( $a, $b, bool $echo ): string { return $a === $b ? 'selected="selected"' : ''; }
function wp_generate_password( int $length, bool $special ): string { return str_repeat( 'x', $length ); }
function shortcode_atts( array $defaults, array $atts, string $tag ): array { return array_merge( $defaults, array_intersect_key( $atts, $defaults ) ); }
function wp_script_is( string $handle, string $status ): bool { return isset( $GLOBALS['sa_scripts'][ $handle ] ); }
function wp_enqueue_script( string $handle, string $src, array $deps, $ver, array $args ): void { $GLOBALS['sa_scripts'][ $handle ] = array( $src, $args ); }
function wp_add_inline_script( string $handle, string $js, string $position ): void { $GLOBALS['sa_inline'][] = array( $handle, $js, $position ); }
function wp_json_encode( $data, int $flags = 0 ) { return json_encode( $data, $flags ); }
function is_user_logged_in(): bool { return $GLOBALS['sa_logged_in']; }
function wp_get_current_user(): object {
	return new class() {
		public int $ID = 42;
		public string $user_email = 'ana.kovac@example.com';
		public string $display_name = 'Ana Kovač';
		public function exists(): bool { return true; }
	};
}
function is_email( string $email ) { return filter_var( $email, FILTER_VALIDATE_EMAIL ); }
function wp_create_nonce( string $action ): string { return 'nonce123'; }
function is_singular(): bool { return true; }
function get_queried_object_id(): int { return 7; }
function register_setting( ...$args ): void {}
function add_settings_section( ...$args ): void {}
function add_settings_field( ...$args ): void {}
function add_options_page( ...$args ): void {}
function current_user_can( string $cap ): bool { return true; }
function get_admin_page_title(): string { return 'Support Agent'; }
function settings_fields( string $group ): void {}
function do_settings_sections( string $page ): void {}
function submit_button(): void {}
function add_shortcode( string $tag, $callback ): void {}
function register_block_type( string $path, array $args ): void {
	if ( ! is_file( $path . '/block.json' ) ) {
		throw new RuntimeException( 'block.json missing' );
	}
}
function register_rest_route( string $namespace, string $route, array $args ): void {}
class WP_Error {
	public function __construct( public string $code = '', public string $message = '', public array $data = array() ) {}
}
class WP_REST_Response {
	public array $headers = array();
	public function __construct( public mixed $data = null ) {}
	public function header( string $name, string $value ): void { $this->headers[ $name ] = $value; }
}

require dirname( __DIR__ ) . '/support-agent/support-agent.php';

$settings = new Support_Agent_Settings();
$clean    = $settings->sanitize(
	array(
		'agent_url'      => 'https://agent.example/',
		'secret'         => str_repeat( 's', 40 ),
		'identify_users' => '1',
		'title'          => '<b>Help</b></script><script>alert(1)</script>',
		'color'          => 'red',
		'position'       => 'left',
		'language'       => 'de',
		'pages_mode'     => 'include',
		'page_ids'       => '7, 9, x, 9',
	)
);
// WordPress calls the callback again on the cleaned array when the option is first added.
$twice = $settings->sanitize( $clean );
$bad   = $settings->sanitize( array( 'agent_url' => 'http://agent.example', 'secret' => 'short' ) );

$GLOBALS['sa_options'][ Support_Agent_Options::OPTION ] = $clean;
ob_start();
foreach ( array( 'agent_url', 'secret', 'identify_users', 'title', 'greeting', 'color', 'position', 'language', 'pages_mode', 'page_ids' ) as $key ) {
	$settings->render_field( array( 'key' => $key, 'label_for' => 'support_agent_' . $key ) );
}
$settings->render_connection_help();
$settings->render_page();
$html = ob_get_clean();

$frontend = new Support_Agent_Frontend();
$frontend->register_block_and_shortcode();
$GLOBALS['sa_logged_in'] = true;
$frontend->maybe_enqueue();
$inline = $frontend->render_inline( array( 'height' => '5000' ) );
$rest   = $frontend->rest_token();

echo json_encode(
	array(
		'clean'          => $clean,
		'stable'         => $clean === $twice,
		'bad_errors'     => $GLOBALS['sa_errors'],
		'bad_kept_url'   => $bad['agent_url'],
		'secret_printed' => str_contains( $html, str_repeat( 's', 40 ) ),
		'script'         => $GLOBALS['sa_scripts']['support-agent'] ?? null,
		'inline_script'  => $GLOBALS['sa_inline'][0][1] ?? '',
		'inline_html'    => $inline,
		'rest'           => $rest->data,
	)
);
