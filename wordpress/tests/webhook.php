<?php
/**
 * Runs deliveries through the plugin's webhook route against the WordPress stand-ins (wp-stubs.php) and
 * prints what happened, for webhook.test.ts. Input (argv[1], a JSON file): {"secret", "now"?, "deliveries":
 * [{"headers": {...}, "body": "..."}]}; output: each delivery's status and body, the waiting conversations,
 * the emails sent and the admin notice.
 *
 * @package SupportAgent
 */

// phpcs:disable -- test scaffolding, not plugin code.
declare(strict_types=1);

require __DIR__ . '/wp-stubs.php';
require dirname( __DIR__ ) . '/support-agent/support-agent.php';

$input = json_decode( (string) file_get_contents( $argv[1] ), true, 512, JSON_THROW_ON_ERROR );
$GLOBALS['sa_options'][ Support_Agent_Options::OPTION ] = array(
	'agent_url'      => 'https://agent.example',
	'webhook_secret' => $input['secret'],
	'notify_email'   => $input['notify_email'] ?? '',
	'notify_handoff' => true,
	'notify_ticket'  => true,
);
$GLOBALS['sa_options']['admin_email'] = 'owner@shop.example';

$hooks   = new Support_Agent_Webhooks();
$results = array();
foreach ( $input['deliveries'] as $delivery ) {
	$response  = $hooks->receive( new WP_REST_Request( array_change_key_case( $delivery['headers'] ), $delivery['body'] ) );
	$results[] = $response instanceof WP_Error
		? array( 'status' => $response->data['status'] ?? 500, 'code' => $response->code )
		: array( 'status' => 200, 'body' => $response->data );
}
ob_start();
$hooks->render_notice();
$notice = ob_get_clean();

echo json_encode(
	array(
		'results' => $results,
		'waiting' => array_keys( $hooks->waiting() ),
		'mail'    => $GLOBALS['sa_mail'],
		'notice'  => $notice,
	)
);
