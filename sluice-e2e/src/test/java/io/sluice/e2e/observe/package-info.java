/**
 * End-to-end tests of watching a running agent: {@code sluice top}, {@code sluice tap}, the tap
 * token, and the web console in a real headless Chromium.
 */
package io.sluice.e2e.observe;
