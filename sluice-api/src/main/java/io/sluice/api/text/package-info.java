/**
 * Text shared by the messages Sluice shows its users, whatever module writes them: the spelling
 * suggestion of configuration errors and rtsql errors alike. Stateless and thread-safe.
 */
package io.sluice.api.text;
