<?php
/**
 * Minimal stand-ins for the WordPress functions the plugin calls, shared by smoke.php and webhook.php, so CI
 * (php-cli, no WordPress) catches runtime errors that `php -l` cannot. State lives in $GLOBALS['sa_*'].
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
function wp_enqueue_script( string $handle, string $src, array $deps, $ver, array|bool $args ): void { $GLOBALS['sa_scripts'][ $handle ] = array( $src, $args ); }
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

$GLOBALS['sa_mail']       = array();
$GLOBALS['sa_wp_version'] = '6.5';
function sanitize_email( string $e ): string { return filter_var( trim( $e ), FILTER_VALIDATE_EMAIL ) ? trim( $e ) : ''; }
function get_bloginfo( string $what ): string { return 'version' === $what ? $GLOBALS['sa_wp_version'] : 'Fernhill'; }
function _n( string $one, string $many, int $n, string $domain = 'default' ): string { return 1 === $n ? $one : $many; }
function wp_specialchars_decode( string $s, $q = 0 ): string { return htmlspecialchars_decode( $s, ENT_QUOTES ); }
function is_wp_error( $thing ): bool { return $thing instanceof WP_Error; }
function add_option( string $name, $value, $unused = '', $autoload = null ): bool {
	if ( array_key_exists( $name, $GLOBALS['sa_options'] ) ) { return false; }
	$GLOBALS['sa_options'][ $name ] = $value;
	return true;
}
function update_option( string $name, $value, $autoload = null ): bool { $GLOBALS['sa_options'][ $name ] = $value; return true; }
function wp_mail( string $to, string $subject, string $body ): bool { $GLOBALS['sa_mail'][] = array( $to, $subject, $body ); return true; }
$GLOBALS['wpdb'] = new class() {
	public string $options = 'wp_options';
	public function esc_like( string $s ): string { return addcslashes( $s, '_%\\' ); }
	public function prepare( string $q, ...$args ): string { return $q; }
	public function query( string $q ): int { return 0; }
};
class WP_REST_Request {
	public function __construct( private array $headers, private string $body ) {}
	public function get_header( string $name ): ?string { return $this->headers[ $name ] ?? null; }
	public function get_body(): string { return $this->body; }
}
