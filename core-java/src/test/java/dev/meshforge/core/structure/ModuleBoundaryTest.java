package dev.meshforge.core.structure;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The core's boundaries: no package cycles, internals not exported, no GL or HTTP in core. */
class ModuleBoundaryTest {
    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.meshforge.core");

    @Test
    void noTwoPackagesDependOnEachOther() {
        // every package, each on its own: dev.meshforge.core.io and dev.meshforge.core.io.zip are two slices. The
        // format packages register themselves with io (FormatSupport through ServiceLoader), so io names none.
        slices().matching("dev.meshforge.core.(**)").should().beFreeOfCycles().check(CORE);
    }

    @Test
    void theDescriptorExportsEveryPackageButTheInternalOnes() throws IOException {
        ModuleDescriptor descriptor;
        java.nio.file.Path classes;
        try {
            classes = java.nio.file.Path.of(dev.meshforge.core.Report.class.getProtectionDomain().getCodeSource()
                    .getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = java.nio.file.Files.newInputStream(classes.resolve("module-info.class"))) {
            assertNotNull(in, "core-java has a module-info.class");
            descriptor = ModuleDescriptor.read(in);
        }
        assertEquals("dev.meshforge.core", descriptor.name());
        Set<String> exported = descriptor.exports().stream().map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> expected = CORE.stream().map(c -> c.getPackageName())
                // io.text is the readers' shared number parsing: used across io, not an API
                .filter(p -> !p.endsWith(".internal") && !p.equals("dev.meshforge.core.io.text"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(expected, exported);
    }

    @Test
    void coreStaysFreeOfGlAndHttp() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.lwjgl.opengl..", "org.lwjgl.egl..",
                "io.javalin..", "io.helidon..", "com.sun.net.httpserver..").check(CORE);
    }
}
