<?php
/**
 * Plugin Name:       Support Agent Chat
 * Plugin URI:        https://github.com/edge-support-agent/edge-support-agent
 * Description:       Adds the edge support agent's chat to your site: answers from your help pages, order status, and a handover to your team. Logged-in customers are recognised with a short-lived signed token.
 * Version:           0.2.0
 * Requires at least: 6.1
 * Requires PHP:      8.1
 * Author:            Edge Support Agent contributors
 * License:           GPL-2.0-or-later
 * License URI:       https://www.gnu.org/licenses/gpl-2.0.html
 * Text Domain:       support-agent
 *
 * @package SupportAgent
 */

defined( 'ABSPATH' ) || exit;

define( 'SUPPORT_AGENT_VERSION', '0.2.0' );
define( 'SUPPORT_AGENT_FILE', __FILE__ );
define( 'SUPPORT_AGENT_DIR', plugin_dir_path( __FILE__ ) );

require_once SUPPORT_AGENT_DIR . 'includes/class-support-agent-options.php';
require_once SUPPORT_AGENT_DIR . 'includes/class-support-agent-token.php';
require_once SUPPORT_AGENT_DIR . 'includes/class-support-agent-settings.php';
require_once SUPPORT_AGENT_DIR . 'includes/class-support-agent-frontend.php';
require_once SUPPORT_AGENT_DIR . 'includes/class-support-agent-webhook-signature.php';
require_once SUPPORT_AGENT_DIR . 'includes/class-support-agent-webhooks.php';
require_once SUPPORT_AGENT_DIR . 'includes/class-support-agent-connection.php';

// Translations come from translate.wordpress.org and load just in time (WordPress 4.6+): no loader needed.
( new Support_Agent_Settings() )->register();
( new Support_Agent_Frontend() )->register();
( new Support_Agent_Webhooks() )->register();
( new Support_Agent_Connection() )->register();
