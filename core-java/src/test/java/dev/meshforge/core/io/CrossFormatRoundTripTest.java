// Every readable corpus file written in every target format: read back by us with the same triangles and
// geometry, read by assimp, an independent reader, with the same triangle count, and every glTF/GLB we
// write passes the Khronos validator.
package dev.meshforge.core.io;

import dev.meshforge.core.BadInputException;
import dev.meshforge.core.UnsupportedFeatureException;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Transform;
import dev.meshforge.core.scene.TriangleMesh;
import dev.meshforge.core.scene.UpAxis;
import dev.meshforge.core.scene.Units;
import dev.meshforge.core.testing.AssimpReader;
import dev.meshforge.core.testing.Corpus;
import dev.meshforge.core.testing.GltfValidator;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CrossFormatRoundTripTest {
    /** A target: format, encoding, file extension. */
    private record Target(Format format, boolean ascii, String extension) {
        @Override
        public String toString() {
            return format.name().toLowerCase(Locale.ROOT) + (ascii ? " ascii" : "");
        }

        /**
         * What a writer does to world coordinates: STL is written in millimetres and glTF in metres with Y up
         * when the scene declares its unit and axis; otherwise coordinates are written as they are.
         */
        Transform conversion(Units units) {
            if (!units.declared()) {
                return Transform.IDENTITY;
            }
            return switch (format) {
                case STL -> Transform.scale(units.toMillimetres(), units.toMillimetres(), units.toMillimetres());
                case GLB, GLTF -> {
                    double k = units.metresPerUnit();
                    yield units.upAxis() == UpAxis.Z
                            ? Transform.of(k, 0, 0, 0, 0, 0, -k, 0, 0, k, 0, 0, 0, 0, 0, 1)
                            : Transform.scale(k, k, k);
                }
                default -> Transform.IDENTITY;
            };
        }
    }

    private static final List<Target> TARGETS = List.of(
            new Target(Format.GLB, false, "glb"),
            new Target(Format.GLTF, false, "gltf"),
            new Target(Format.STL, false, "stl"),
            new Target(Format.STL, true, "stl"),
            new Target(Format.PLY, false, "ply"),
            new Target(Format.PLY, true, "ply"),
            new Target(Format.OBJ, false, "obj"),
            new Target(Format.OBJ_ZIP, false, "zip"),
            new Target(Format.FBX, false, "fbx"),
            new Target(Format.FBX, true, "fbx"),
            new Target(Format.FBX_ZIP, false, "zip"));

    @TempDir
    Path tmp;

    @TestFactory
    Stream<DynamicContainer> everyReadableCorpusFileSurvivesEveryWriter() {
        return Corpus.facts("").stream()
                .filter(f -> Formats.canRead(f.path()))
                .map(f -> DynamicContainer.dynamicContainer(f.file(), TARGETS.stream().map(t ->
                        DynamicTest.dynamicTest(t.toString(), () -> roundTrip(f, t)))));
    }

    private void roundTrip(Corpus.Fact fact, Target target) throws IOException, InterruptedException {
        Scene source;
        try {
            source = Formats.read(fact.path());
        } catch (BadInputException | UnsupportedFeatureException e) {
            org.junit.jupiter.api.Assumptions.abort("not readable (checked by the format's own tests): "
                    + e.getMessage());
            return;
        }
        try (source) {
            Path dir = Files.createTempDirectory(tmp, "rt");
            Path out = dir.resolve("model." + target.extension());
            Formats.write(source, out, target.format(), new WriteOptions(target.ascii()));
            try (Scene back = Formats.read(out)) {
                assertEquals(source.triangleCount(), back.triangleCount(), "triangles read back by meshforge");
                assertSameGeometry(source, back, target.conversion(source.units()));
            }
            if (target.format() == Format.GLB || target.format() == Format.GLTF) {
                GltfValidator.Report report = GltfValidator.validate(out);
                assertEquals(0, report.errors(), fact.file() + " as " + target + ": validator errors "
                        + report.errorMessages().subList(0, Math.min(5, report.errorMessages().size())));
            }
            if (target.format() == Format.OBJ_ZIP || target.format() == Format.FBX_ZIP) {
                return; // assimp reads no archives; the model inside is the plain target's file
            }
            if (target.format() == Format.PLY && !target.ascii() && bodyStartsWithWhitespace(out)) {
                org.junit.jupiter.api.Assumptions.abort("assimp's PLY reader skips whitespace bytes after "
                        + "end_header, so it misreads a binary body whose first byte is one");
            }
            if (source.triangleCount() > 0) { // assimp refuses files without faces, which is its choice
                assertEquals(source.triangleCount(), AssimpReader.read(out).triangles(),
                        fact.file() + " as " + target + ": triangles read back by assimp");
            }
        }
    }

    /** Corner by corner in world space, within 1e-6 of the bounding box diagonal (float formats). */
    private static void assertSameGeometry(Scene a, Scene b, Transform conversion) {
        try (Arena arena = Arena.ofConfined()) {
            TriangleMesh ma = a.worldTriangles(arena);
            TriangleMesh mb = b.worldTriangles(arena);
            long corners = ma.triangleCount() * 3;
            double[] expected = new double[(int) Math.min(Integer.MAX_VALUE, corners * 3)];
            double[] p = new double[3];
            double[] lo = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
            double[] hi = {-Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
            for (int i = 0; i < corners; i++) {
                long v = ma.index(i);
                conversion.applyToPoint(ma.coordinate(v, 0), ma.coordinate(v, 1), ma.coordinate(v, 2), p);
                for (int c = 0; c < 3; c++) {
                    expected[i * 3 + c] = p[c];
                    lo[c] = Math.min(lo[c], p[c]);
                    hi[c] = Math.max(hi[c], p[c]);
                }
            }
            double diag = Math.sqrt(Math.pow(hi[0] - lo[0], 2) + Math.pow(hi[1] - lo[1], 2)
                    + Math.pow(hi[2] - lo[2], 2));
            double tolerance = Math.max(1e-6 * diag, 1e-30);
            double worst = 0;
            long worstCorner = -1;
            for (int i = 0; i < corners; i++) {
                for (int c = 0; c < 3; c++) {
                    double d = Math.abs(expected[i * 3 + c] - mb.coordinate(mb.index(i), c));
                    if (d > worst) {
                        worst = d;
                        worstCorner = i;
                    }
                }
            }
            if (worst > tolerance) {
                throw new AssertionError("corner " + worstCorner + " moved by " + worst + ", more than 1e-6 of the "
                        + "diagonal (" + diag + ")");
            }
        }
    }

    private static boolean bodyStartsWithWhitespace(Path ply) throws IOException {
        byte[] bytes = Files.readAllBytes(ply);
        String head = new String(bytes, 0, Math.min(bytes.length, 4096), java.nio.charset.StandardCharsets.ISO_8859_1);
        int end = head.indexOf("end_header\n");
        return end >= 0 && end + 11 < bytes.length && Character.isWhitespace(bytes[end + 11]);
    }
}
