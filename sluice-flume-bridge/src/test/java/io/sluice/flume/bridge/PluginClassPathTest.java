package io.sluice.flume.bridge;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class PluginClassPathTest {
    @TempDir
    Path dir;

    private Path touch(String relative) throws Exception {
        Path p = dir.resolve(relative);
        Files.createDirectories(p.getParent());
        return Files.write(p, new byte[0]);
    }

    @Test
    void pluginDirsContributeLibAndLibextJarsAndNativeDirsInFlumesOrderThenTheClassPath() throws Exception {
        touch("plugins.d/b-plugin/lib/b.jar");
        touch("plugins.d/b-plugin/libext/dep.jar");
        touch("plugins.d/b-plugin/lib/readme.txt");
        touch("plugins.d/a-plugin/lib/a.jar");
        touch("plugins.d/a-plugin/native/libfoo.so");
        touch("extra/x.jar");
        touch("extra/y.jar");
        Path classes = Files.createDirectories(dir.resolve("classes"));
        touch("api/flume-ng-core-1.11.0.jar");
        Properties p = new Properties();
        p.setProperty(PluginPaths.PLUGINS_PATH, dir.resolve("plugins.d") + ":" + dir.resolve("missing.d"));
        p.setProperty(PluginPaths.PLUGINS_CLASSPATH, dir.resolve("extra") + "/*:" + classes + ":" + dir.resolve("gone.jar"));
        p.setProperty(PluginPaths.FLUME_API_PATH, dir.resolve("api").toString());

        PluginClassPath cp = PluginClassPath.scan(PluginPaths.from(p));

        assertThat(cp.pluginUrls()).extracting(u -> Path.of(u.toURI()).toString()).containsExactly(
                dir.resolve("plugins.d/a-plugin/lib/a.jar").toString(),
                dir.resolve("plugins.d/b-plugin/lib/b.jar").toString(),
                dir.resolve("plugins.d/b-plugin/libext/dep.jar").toString(),
                dir.resolve("extra/x.jar").toString(), dir.resolve("extra/y.jar").toString(),
                classes.toString());
        assertThat(cp.nativeDirs()).containsExactly(dir.resolve("plugins.d/a-plugin/native"));
        assertThat(cp.apiUrls()).hasSize(1);
        assertThat(cp.searched()).containsExactly(
                dir.resolve("plugins.d") + "/*/{lib,libext} (3 jars)",
                dir.resolve("missing.d") + "/*/{lib,libext} (does not exist)",
                "class path " + dir.resolve("extra") + "/* (2 jars)",
                "class path " + classes,
                "class path " + dir.resolve("gone.jar") + " (does not exist)");
    }

    @Test
    void defaultsAreUnderTheDistributionHome() {
        Properties p = new Properties();
        p.setProperty(PluginPaths.HOME, dir.toString());
        PluginPaths paths = PluginPaths.from(p);
        assertThat(paths.pluginDirs()).isEqualTo(List.of(dir.resolve("plugins.d")));
        assertThat(paths.flumeApiDir()).isEqualTo(dir.resolve("lib/flume-api"));
        assertThat(paths.classpath()).isEmpty();
    }
}
