<?php
/**
 * Script dependencies of the block's editor script (read by register_block_type()).
 *
 * @package SupportAgent
 */

return array(
	'dependencies' => array( 'wp-block-editor', 'wp-blocks', 'wp-components', 'wp-element', 'wp-i18n' ),
	'version'      => '0.1.0',
);
