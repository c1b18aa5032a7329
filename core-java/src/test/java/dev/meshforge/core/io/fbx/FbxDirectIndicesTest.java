// A large geometry's first part writes its indices straight into the scene: the scene read is the same either way.
package dev.meshforge.core.io.fbx;

import dev.meshforge.core.io.Formats;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.VertexAttribute;
import dev.meshforge.core.testing.Corpus;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class FbxDirectIndicesTest {
    /**
     * Every corpus FBX that reads (several materials a mesh, skipped faces, ASCII and binary among them) is read with
     * its indices gathered in a list of the read, as files this small are, and again with every first part writing
     * straight into the scene: each primitive's indices, their buffer's size and its attributes must be the same.
     */
    @TestFactory
    Stream<DynamicTest> everyCorpusFbxReadsTheSameWithItsIndicesWrittenStraightIntoTheScene() {
        return Corpus.facts("fbx/").stream().filter(f -> !FbxCorpusTest.REFUSED.containsKey(f.file()))
                .map(f -> DynamicTest.dynamicTest(f.file(), () -> {
                    List<String> heap = buffers(f.path(), Long.MAX_VALUE);
                    List<String> direct = buffers(f.path(), -1);
                    assertEquals(heap.size(), direct.size(), "primitives and attributes");
                    assertArrayEquals(heap.toArray(), direct.toArray());
                }));
    }

    /** Each primitive's index count, index bytes and attribute bytes, read with the given threshold. */
    private static List<String> buffers(java.nio.file.Path file, long directIndexBytes) throws Exception {
        long before = FbxPolygonScan.directIndexBytes;
        FbxPolygonScan.directIndexBytes = directIndexBytes;
        try (Scene scene = Formats.read(file)) {
            List<String> out = new ArrayList<>();
            scene.forEachPlacedMesh((mesh, placement) -> {
                for (Primitive p : mesh.primitives()) {
                    out.add(mesh.name() + " indices " + p.indexCount() + " in " + p.indices().byteSize() + " bytes: "
                            + Arrays.toString(p.indices().toArray(ValueLayout.JAVA_INT)));
                    for (Map.Entry<String, VertexAttribute> a : new TreeMap<>(p.attributes()).entrySet()) {
                        out.add(mesh.name() + " " + a.getKey() + ": "
                                + Arrays.toString(a.getValue().data().toArray(ValueLayout.JAVA_FLOAT)));
                    }
                }
            });
            return out;
        } finally {
            FbxPolygonScan.directIndexBytes = before;
        }
    }
}
