<?php
/**
 * The agent's webhooks, received: POST /wp-json/support-agent/v1/webhook checks the Standard Webhooks
 * signature (Support_Agent_Webhook_Signature) with the endpoint secret saved in the settings, ignores a
 * webhook-id it has already seen (the agent retries, an attacker may replay), keeps the list of conversations
 * waiting for a person (handoff.requested adds one, conversation.assigned or .closed removes it), shows it as a
 * notice in wp-admin with a link to the console, and emails the chosen address for handoffs and new tickets.
 * Deliveries carry ids and times, never message text, so neither the notice nor the email holds any.
 *
 * @package SupportAgent
 */

defined( 'ABSPATH' ) || exit;

/**
 * Webhook receiver, admin notice and notification emails.
 */
final class Support_Agent_Webhooks {

	/** Thread id => Unix time the handoff was requested. */
	const WAITING_OPTION = 'support_agent_waiting';

	/** Prefix of the one-row-per-delivery options that make a replay a no-op (add_option is an atomic insert). */
	const SEEN_PREFIX = '_support_agent_webhook_';

	/** Waiting conversations kept at most (the notice counts; the console has the whole list). */
	const MAX_WAITING = 200;

	/**
	 * Hooks into WordPress.
	 */
	public function register(): void {
		add_action( 'rest_api_init', array( $this, 'register_route' ) );
		add_action( 'admin_notices', array( $this, 'render_notice' ) );
	}

	/**
	 * The route: public, since the signature is the credential.
	 */
	public function register_route(): void {
		register_rest_route(
			Support_Agent_Frontend::REST_NAMESPACE,
			'/webhook',
			array(
				'methods'             => 'POST',
				'callback'            => array( $this, 'receive' ),
				'permission_callback' => '__return_true',
			)
		);
	}

	/**
	 * One delivery.
	 *
	 * @param WP_REST_Request $request The request.
	 * @return WP_REST_Response|WP_Error
	 */
	public function receive( $request ) {
		$secret = (string) Support_Agent_Options::all()['webhook_secret'];
		if ( '' === $secret ) {
			return new WP_Error( 'support_agent_webhooks_off', __( 'No webhook secret is saved.', 'support-agent' ), array( 'status' => 404 ) );
		}
		$id     = (string) $request->get_header( 'webhook-id' );
		$reason = Support_Agent_Webhook_Signature::verify(
			$secret,
			$id,
			(string) $request->get_header( 'webhook-timestamp' ),
			(string) $request->get_header( 'webhook-signature' ),
			(string) $request->get_body(),
			time()
		);
		if ( '' !== $reason ) {
			return new WP_Error( 'support_agent_' . $reason, __( 'The webhook signature could not be verified.', 'support-agent' ), array( 'status' => 401 ) );
		}
		$event = json_decode( (string) $request->get_body(), true );
		if ( ! is_array( $event ) || ! isset( $event['type'] ) || ! is_string( $event['type'] ) ) {
			return new WP_Error( 'support_agent_bad_event', __( 'The webhook body is not an event.', 'support-agent' ), array( 'status' => 400 ) );
		}
		if ( ! $this->first_time( $id ) ) {
			// 2xx so the agent stops retrying; nothing happens twice.
			return new WP_REST_Response( array( 'duplicate' => true ), 200 );
		}
		$this->apply( $event['type'], is_array( $event['data'] ?? null ) ? $event['data'] : array() );
		return new WP_REST_Response( array( 'received' => $event['type'] ), 200 );
	}

	/**
	 * Records a delivery id; false when it was already there.
	 *
	 * @param string $id The webhook-id.
	 */
	private function first_time( string $id ): bool {
		global $wpdb;
		// Ids older than the signature window can no longer pass verification, so their rows can go.
		$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->options} WHERE option_name LIKE %s AND option_value < %d", $wpdb->esc_like( self::SEEN_PREFIX ) . '%', time() - 2 * Support_Agent_Webhook_Signature::TOLERANCE ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery -- pruning our own rows.
		return add_option( self::SEEN_PREFIX . hash( 'sha256', $id ), (string) time(), '', false );
	}

	/**
	 * What an event changes.
	 *
	 * @param string               $type The event type.
	 * @param array<string, mixed> $data The event's data.
	 */
	private function apply( string $type, array $data ): void {
		$thread = isset( $data['thread_id'] ) && is_string( $data['thread_id'] ) ? substr( sanitize_text_field( $data['thread_id'] ), 0, 64 ) : '';
		switch ( $type ) {
			case 'handoff.requested':
				if ( '' !== $thread ) {
					$waiting            = $this->waiting();
					$waiting[ $thread ] = time();
					update_option( self::WAITING_OPTION, array_slice( $waiting, -self::MAX_WAITING, null, true ), false );
				}
				$this->notify( 'handoff', $thread );
				break;
			case 'conversation.assigned':
			case 'conversation.closed':
				$waiting = $this->waiting();
				unset( $waiting[ $thread ] );
				update_option( self::WAITING_OPTION, $waiting, false );
				break;
			case 'ticket.created':
				$this->notify( 'ticket', $thread );
				break;
		}
	}

	/**
	 * Conversations waiting for a person.
	 *
	 * @return array<string, int>
	 */
	public function waiting(): array {
		$waiting = get_option( self::WAITING_OPTION, array() );
		return is_array( $waiting ) ? $waiting : array();
	}

	/**
	 * Emails the chosen address (the site admin by default).
	 *
	 * @param string $kind   'handoff' or 'ticket'.
	 * @param string $thread The thread id, or ''.
	 */
	private function notify( string $kind, string $thread ): void {
		$options = Support_Agent_Options::all();
		if ( empty( $options[ 'notify_' . $kind ] ) ) {
			return;
		}
		$to = Support_Agent_Options::notify_email();
		if ( '' === $to ) {
			return;
		}
		$link    = Support_Agent_Options::console_url( $thread );
		$subject = 'handoff' === $kind
			? __( 'A conversation needs a person', 'support-agent' )
			: __( 'A new support ticket was opened', 'support-agent' );
		$body    = 'handoff' === $kind
			? __( 'A visitor asked for a person in the support chat. Take it over in the console:', 'support-agent' )
			: __( 'The support agent opened a ticket. See it in the console:', 'support-agent' );
		wp_mail( $to, '[' . wp_specialchars_decode( get_bloginfo( 'name' ), ENT_QUOTES ) . '] ' . $subject, $body . "\n\n" . $link . "\n" );
	}

	/**
	 * "2 conversations need a person", for those who can manage the plugin.
	 */
	public function render_notice(): void {
		if ( ! current_user_can( 'manage_options' ) ) {
			return;
		}
		$count = count( $this->waiting() );
		if ( 0 === $count ) {
			return;
		}
		printf(
			'<div class="notice notice-warning support-agent-waiting"><p>%1$s <a href="%2$s" target="_blank" rel="noopener">%3$s</a></p></div>',
			/* translators: %d: number of conversations. */
			esc_html( sprintf( _n( '%d conversation needs a person.', '%d conversations need a person.', $count, 'support-agent' ), $count ) ),
			esc_url( Support_Agent_Options::console_url( '' ) ),
			esc_html__( 'Open the console', 'support-agent' )
		);
	}
}
