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

require __DIR__ . '/wp-stubs.php';

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
$bad_errors = $GLOBALS['sa_errors'];
// With settings saved: a javascript: URL is refused (not blanked), and so are a bad webhook secret and email.
$GLOBALS['sa_options'][ Support_Agent_Options::OPTION ] = $clean;
$GLOBALS['sa_errors'] = array();
$script_url = $settings->sanitize( array( 'agent_url' => 'javascript:alert(1)', 'webhook_secret' => 'nope', 'notify_email' => 'not-an-email', 'identify_users' => '1' ) );
$script_url_errors = $GLOBALS['sa_errors'];
// No secret saved: ticking "Recognise logged-in users" keeps it off, with a message.
$GLOBALS['sa_options'] = array();
$GLOBALS['sa_errors']  = array();
$no_secret = $settings->sanitize( array( 'agent_url' => 'https://agent.example', 'identify_users' => '1' ) );
$no_secret_errors = $GLOBALS['sa_errors'];
$GLOBALS['sa_options'][ Support_Agent_Options::OPTION ] = $no_secret;
ob_start();
$settings->render_field( array( 'key' => 'secret', 'label_for' => 'support_agent_secret' ) );
$settings->render_field( array( 'key' => 'identify_users', 'label_for' => 'support_agent_identify_users' ) );
$unsaved_html = ob_get_clean();

$GLOBALS['sa_options'][ Support_Agent_Options::OPTION ] = $clean;
ob_start();
foreach ( array( 'agent_url', 'secret', 'identify_users', 'webhook_secret', 'notify_email', 'notify_handoff', 'title', 'greeting', 'color', 'position', 'language', 'pages_mode', 'page_ids' ) as $key ) {
	$settings->render_field( array( 'key' => $key, 'label_for' => 'support_agent_' . $key ) );
}
$settings->render_connection_help();
$settings->render_page();
$html = ob_get_clean();

$saved_html = $html;
$frontend = new Support_Agent_Frontend();
$frontend->register_block_and_shortcode();
$GLOBALS['sa_logged_in'] = true;
$frontend->maybe_enqueue();
$inline = $frontend->render_inline( array( 'height' => '5000' ) );
$rest   = $frontend->rest_token();
$script = $GLOBALS['sa_scripts']['support-agent'] ?? null;
// WordPress before 6.3 has no loading strategy: a footer script, made async by the tag filter.
$GLOBALS['sa_scripts']    = array();
$GLOBALS['sa_wp_version'] = '6.1.9';
( new Support_Agent_Frontend() )->maybe_enqueue();
$old_wp_script = $GLOBALS['sa_scripts']['support-agent'] ?? null;
$old_wp_tag    = $frontend->add_async( '<script src="https://agent.example/widget.js" id="support-agent-js"></script>', 'support-agent' );

echo json_encode(
	array(
		'clean'          => $clean,
		'stable'         => $clean === $twice,
		'bad_errors'     => $bad_errors,
		'bad_kept_url'   => $bad['agent_url'],
		'secret_printed' => str_contains( $html, str_repeat( 's', 40 ) ),
		'script'         => $script,
		'inline_script'  => $GLOBALS['sa_inline'][0][1] ?? '',
		'inline_html'    => $inline,
		'rest'           => $rest->data,
		'script_url'     => $script_url,
		'script_url_errors' => $script_url_errors,
		'no_secret'      => $no_secret,
		'no_secret_errors' => $no_secret_errors,
		'unsaved_html'   => $unsaved_html,
		'saved_html'     => $saved_html,
		'old_wp_script'  => $old_wp_script,
		'old_wp_tag'     => $old_wp_tag,
	)
);
