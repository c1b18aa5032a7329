package dev.meshforge.core.optimize;

import dev.meshforge.core.io.Formats;
import dev.meshforge.core.ops.Optimize;
import dev.meshforge.core.ops.RunControl;
import dev.meshforge.core.ops.ToolResult;
import dev.meshforge.core.scene.Animation;
import dev.meshforge.core.scene.Material;
import dev.meshforge.core.scene.Mesh;
import dev.meshforge.core.scene.Node;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Transform;
import dev.meshforge.core.scene.VertexAttribute;
import dev.meshforge.core.testing.Fixtures;
import dev.meshforge.core.testing.GltfValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Static meshes joined by material in world space, read back from the written file. */
class MergeMeshesTest {
    @TempDir
    Path dir;

    /**
     * A new primitive over the split cube's data (12 triangles, every one with its own face normal), its positions
     * moved {@code dz} along z, so that dedup does not make the meshes one instanced mesh.
     */
    private static Primitive cube(Scene s, Primitive p, int material, float dz) {
        VertexAttribute from = p.positions();
        MemorySegment moved = s.allocateFloats(from.count() * 3);
        for (long v = 0; v < from.count(); v++) {
            for (int c = 0; c < 3; c++) {
                moved.setAtIndex(ValueLayout.JAVA_FLOAT, v * 3 + c, from.get(v, c) + (c == 2 ? dz : 0));
            }
        }
        Primitive q = new Primitive(p.topology(), new VertexAttribute(VertexAttribute.POSITION, 3, from.count(), moved),
                p.indices(), p.indexCount());
        p.attributes().values().stream().filter(a -> !a.name().equals(VertexAttribute.POSITION)).forEach(q::put);
        return q.material(material);
    }

    /**
     * Five unit cubes of material 'paint': 'a' moved, 'b' mirrored in x under 'group' (which places nothing else),
     * 'spinner' animated, and mesh 'shared' placed twice.
     */
    private static Scene scene() {
        Scene s = Fixtures.splitCube();
        Primitive box = s.roots().get(0).mesh().primitives().get(0);
        s.roots().clear();
        s.materials().add(new Material("paint", new float[] {1, 0, 0, 1}, 0, 0.5f, -1, -1, -1, -1, -1,
                new float[] {0, 0, 0}, false));
        s.addRoot(new Node("a").local(Transform.translation(0, 2, 0)).mesh(new Mesh("A").add(cube(s, box, 0, 0))));
        s.addRoot(new Node("group").local(Transform.translation(6, 0, 0).then(Transform.scale(-1, 1, 1)))
                .add(new Node("b").mesh(new Mesh("B").add(cube(s, box, 0, 1)))));
        Node spinner = new Node("spinner").local(Transform.translation(0, 0, 4))
                .mesh(new Mesh("C").add(cube(s, box, 0, 2)));
        s.addRoot(spinner);
        Mesh shared = new Mesh("shared").add(cube(s, box, 0, 3));
        s.addRoot(new Node("d1").local(Transform.translation(0, 6, 0)).mesh(shared));
        s.addRoot(new Node("d2").local(Transform.translation(0, 8, 0)).mesh(shared));
        MemorySegment times = s.allocateFloats(2);
        times.setAtIndex(ValueLayout.JAVA_FLOAT, 1, 1);
        MemorySegment moves = s.allocateFloats(6);
        moves.setAtIndex(ValueLayout.JAVA_FLOAT, 5, 4);
        s.animations().add(new Animation("slide", List.of(new Animation.Sampler(times, 2, moves, 6, 3,
                Animation.Interpolation.LINEAR)), List.of(new Animation.Channel(0, spinner, Animation.Path.TRANSLATION))));
        return s;
    }

    @Test
    void staticMeshesOfOneMaterialBecomeOnePrimitiveFacingOutAndEveryDroppedNameIsReported() throws Exception {
        Path out = dir.resolve("merged.glb");
        try (Scene s = scene();
             ToolResult<Optimize.Report> r = Optimize.TOOL.run(s, Optimize.Preset.WEB.options(out),
                     RunControl.DEFAULTS)) {
            StepReport merge = r.report().steps().stream().filter(st -> st.step().equals("merge")).findFirst()
                    .orElseThrow();
            assertTrue(merge.changes().contains("2 primitives of material 'paint' joined in world space, from mesh "
                    + "'A' at node 'a', mesh 'B' at node 'b'"), merge.toText().toString());
            assertTrue(r.report().dropped().containsAll(List.of("node 'a'", "node 'b'", "node 'group'", "mesh 'A'",
                    "mesh 'B'")), r.report().dropped().toString());
            assertTrue(r.report().dropped().stream().noneMatch(d -> d.contains("spinner") || d.contains("shared")
                    || d.contains("'C'") || d.contains("d1") || d.contains("d2")), r.report().dropped().toString());
            GltfValidator.Report report = GltfValidator.validate(out);
            assertEquals(0, report.errors(), () -> "validator errors: " + report.errorMessages());
        }
        try (Scene back = Formats.read(out)) {
            assertEquals(60, back.triangleCount());
            List<String> placed = new ArrayList<>();
            back.forEachPlacedNode((n, t) -> {
                if (n.mesh() != null) {
                    placed.add(n.name() + ":" + n.mesh().name() + ":" + n.mesh().triangleCount());
                }
            });
            // the animated mesh (on a child carrying its dequantizing transform) and the instanced placements stay;
            // the two static cubes are one 24-triangle primitive of an unnamed mesh (the reader names it by index)
            assertTrue(placed.containsAll(List.of("d1:shared:12", "d2:shared:12")), placed.toString());
            assertTrue(placed.stream().anyMatch(p -> p.endsWith(":C:12")), placed.toString());
            assertEquals(1, placed.stream().filter(p -> p.endsWith(":24") && !p.contains(":A:")
                    && !p.contains(":B:")).count(), placed.toString());
            assertEquals(4, placed.size(), placed.toString());
            double[] volume = {0};
            int[] facing = {0, 0};
            back.forEachPlacedNode((n, world) -> {
                if (n.mesh() == null || n.mesh().triangleCount() != 24) {
                    return;
                }
                assertTrue(world.determinant3() > 0, "the joined mesh's node does not mirror");
                for (Primitive p : n.mesh().primitives()) {
                    VertexAttribute normals = p.attribute(VertexAttribute.NORMAL);
                    for (long t = 0; t < p.triangleCount(); t++) {
                        double[][] c = new double[3][3];
                        for (int k = 0; k < 3; k++) {
                            int v = p.index(3 * t + k);
                            world.applyToPoint(p.positions().get(v, 0), p.positions().get(v, 1),
                                    p.positions().get(v, 2), c[k]);
                        }
                        double[] e1 = {c[1][0] - c[0][0], c[1][1] - c[0][1], c[1][2] - c[0][2]};
                        double[] e2 = {c[2][0] - c[0][0], c[2][1] - c[0][1], c[2][2] - c[0][2]};
                        double[] g = {e1[1] * e2[2] - e1[2] * e2[1], e1[2] * e2[0] - e1[0] * e2[2],
                                e1[0] * e2[1] - e1[1] * e2[0]};
                        volume[0] += (c[0][0] * g[0] + c[0][1] * g[1] + c[0][2] * g[2]) / 6;
                        for (int k = 0; k < 3; k++) {
                            int v = p.index(3 * t + k);
                            double dot = g[0] * normals.get(v, 0) + g[1] * normals.get(v, 1)
                                    + g[2] * normals.get(v, 2);
                            facing[dot > 0 ? 0 : 1]++;
                        }
                    }
                }
            });
            // two closed unit cubes wound outward (the mirrored one's winding reversed as it was baked)
            assertEquals(2.0, volume[0], 1e-3);
            assertEquals(72, facing[0], "every corner's normal on its triangle's outer side");
            assertEquals(0, facing[1]);
        }
    }

    @Test
    void aLoneStaticPrimitiveStaysOnItsNodeWithItsNames() {
        try (Scene s = Fixtures.splitCube()) {
            Primitive box = s.roots().get(0).mesh().primitives().get(0);
            s.roots().clear();
            s.addRoot(new Node("only").local(Transform.translation(1, 0, 0))
                    .mesh(new Mesh("one").add(cube(s, box, -1, 0))));
            assertTrue(MergeMeshes.run(s).isEmpty());
            assertEquals(1, s.roots().size());
            assertEquals("one", s.roots().get(0).mesh().name());
        }
    }
}
