// Package web is the browser adapter of Tierdesk: server-rendered HTML pages
// over the desk application layer, for requesters (the portal) and staff
// (the agent console). It owns HTTP and presentation only — routing,
// sign-in sessions, CSRF tokens, security headers, the English and Russian
// message catalogues, templates and static assets. Every rule about
// tickets, and every authorisation decision, is the desk's: handlers put
// the signed-in user into the request context and call desk.
//
// How to add a page, a handler, messages and a browser test: README.md in
// this directory.
package web
