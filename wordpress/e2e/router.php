<?php
/**
 * Router for PHP's built-in server, doing what a web server's rewrite rules do for WordPress: files that exist
 * are served as they are (PHP files run), everything else goes through WordPress's front controller. Like
 * the .htaccess rules hosts ship, nothing whose name starts with ".ht" is served: the SQLite database is
 * wp-content/database/.ht.sqlite.
 *
 * @package SupportAgent
 */

$support_agent_root = $_SERVER['DOCUMENT_ROOT'];
$support_agent_path = urldecode( (string) parse_url( $_SERVER['REQUEST_URI'], PHP_URL_PATH ) );

if ( str_starts_with( basename( $support_agent_path ), '.ht' ) || str_contains( $support_agent_path, '..' ) ) {
	http_response_code( 403 );
	return true;
}
$support_agent_file = $support_agent_root . $support_agent_path;
if ( is_file( $support_agent_file ) || is_file( rtrim( $support_agent_file, '/' ) . '/index.php' ) ) {
	return false;
}
$_SERVER['SCRIPT_NAME']     = '/index.php';
$_SERVER['PHP_SELF']        = '/index.php';
$_SERVER['SCRIPT_FILENAME'] = $support_agent_root . '/index.php';
require $support_agent_root . '/index.php';
