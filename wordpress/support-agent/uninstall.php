<?php
/**
 * Removes the plugin's settings (including the shared secret) when the plugin is deleted.
 *
 * @package SupportAgent
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

delete_option( 'support_agent_options' );

if ( is_multisite() ) {
	foreach ( get_sites( array( 'fields' => 'ids' ) ) as $support_agent_site_id ) {
		switch_to_blog( $support_agent_site_id );
		delete_option( 'support_agent_options' );
		restore_current_blog();
	}
}
