/** Example user functions, registered through META-INF/services in the test resources. */
package io.sluice.sql.userfn;
