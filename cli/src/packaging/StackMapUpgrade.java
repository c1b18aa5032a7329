// Build step of the command line's package: rewrites the Java 5 classes of a jar as Java 8 classes with stack maps.
//
// picocli is compiled for Java 5 (class file version 49). The JDK's ahead-of-time cache (JEP 483) cannot hold
// classes older than version 50, the split verifier's, so each start of the command line parsed and verified
// picocli's 176 classes by the old type-inferring verifier: about a seventh of a short command's CPU. The same
// instructions, with the stack map frames the JDK's class-file API computes and version 52, are held by the cache.
// Classes already at version 50 or later are left as they are, so running it twice changes nothing.
//
// Run with the java launcher (JDK 24+): java cli/src/packaging/StackMapUpgrade.java JAR
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

public final class StackMapUpgrade {
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: java StackMapUpgrade.java JAR");
            System.exit(2);
        }
        Path jar = Path.of(args[0]);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                entries.put(e.getName(), e.isDirectory() ? null : in.readAllBytes());
            }
        }
        // Frames need the common super class of two types: the jar's own classes are looked up in the jar.
        ClassHierarchyResolver own = ClassHierarchyResolver.ofResourceParsing(desc -> {
            String name = desc.descriptorString();
            byte[] bytes = entries.get(name.substring(1, name.length() - 1) + ".class");
            return bytes == null ? null : new ByteArrayInputStream(bytes);
        });
        ClassFile classFile = ClassFile.of(ClassFile.StackMapsOption.GENERATE_STACK_MAPS,
                ClassFile.ClassHierarchyResolverOption.of(own.orElse(ClassHierarchyResolver.defaultResolver())));
        ClassTransform version = (builder, element) -> {
            if (element instanceof ClassFileVersion) {
                builder.withVersion(ClassFile.JAVA_8_VERSION, 0);
            } else {
                builder.with(element);
            }
        };
        ClassTransform upgrade = version.andThen(ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL));
        int upgraded = 0;
        Path tmp = Files.createTempFile(jar.toAbsolutePath().getParent(), jar.getFileName().toString(), ".tmp");
        try (OutputStream file = Files.newOutputStream(tmp); ZipOutputStream out = new ZipOutputStream(file)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                byte[] bytes = e.getValue();
                out.putNextEntry(new ZipEntry(e.getKey()));
                if (bytes == null) {
                    continue;
                }
                if (e.getKey().endsWith(".class") && !e.getKey().startsWith("META-INF/")) {
                    ClassModel model = classFile.parse(bytes);
                    if (model.majorVersion() < ClassFile.JAVA_6_VERSION) {
                        bytes = classFile.transformClass(model, upgrade);
                        upgraded++;
                    }
                }
                out.write(bytes);
            }
        }
        if (upgraded == 0) {
            Files.delete(tmp);
            return;
        }
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("StackMapUpgrade: " + upgraded + " classes of " + jar.getFileName()
                + " rewritten with stack maps (class file version 52)");
    }
}
