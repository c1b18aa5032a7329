package dev.meshforge.core.io.threemf;

import dev.meshforge.core.BadInputException;
import dev.meshforge.core.inspect.MeshReport;
import dev.meshforge.core.io.ReadOptions;
import dev.meshforge.core.io.WriteOptions;
import dev.meshforge.core.io.obj.ObjReader;
import dev.meshforge.core.ops.Inspect;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.UpAxis;
import dev.meshforge.core.testing.AssimpReader;
import dev.meshforge.core.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThreeMfTest {
    @TempDir
    Path dir;

    /** A 3MF package of the given model XML with the standard content types and relationship. */
    private Path package3mf(String name, String model) throws IOException {
        Path p = dir.resolve(name);
        try (OutputStream raw = Files.newOutputStream(p); ZipOutputStream zip = new ZipOutputStream(raw)) {
            zip.putNextEntry(new ZipEntry("_rels/.rels"));
            zip.write(("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                    + "<Relationship Target=\"/3D/model.model\" Id=\"r\" "
                    + "Type=\"http://schemas.microsoft.com/3dmanufacturing/2013/01/3dmodel\"/></Relationships>")
                    .getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("3D/model.model"));
            zip.write(model.getBytes(StandardCharsets.UTF_8));
        }
        return p;
    }

    /** A tetrahedron object; {@code extra} goes inside the model element after the resources' objects. */
    private static String tetrahedronModel(String unit, String triangleExtra, String build) {
        return "<?xml version=\"1.0\"?><model unit=\"" + unit + "\" xmlns=\"" + ThreeMfWriter.CORE + "\"><resources>"
                + "<basematerials id=\"1\"><base name=\"red\" displaycolor=\"#FF0000\"/>"
                + "<base name=\"half blue\" displaycolor=\"#0000FF80\"/></basematerials>"
                + "<object id=\"2\" type=\"model\" pid=\"1\" pindex=\"0\"><mesh><vertices>"
                + "<vertex x=\"0\" y=\"0\" z=\"0\"/><vertex x=\"10\" y=\"0\" z=\"0\"/>"
                + "<vertex x=\"0\" y=\"10\" z=\"0\"/><vertex x=\"0\" y=\"0\" z=\"10\"/></vertices><triangles>"
                + "<triangle v1=\"0\" v2=\"2\" v3=\"1\"/><triangle v1=\"0\" v2=\"1\" v3=\"3\"/>"
                + "<triangle v1=\"0\" v2=\"3\" v3=\"2\" pid=\"1\" p1=\"1\"/><triangle v1=\"1\" v2=\"2\" v3=\"3\"" + triangleExtra
                + "/></triangles></mesh></object>"
                + "<object id=\"3\" type=\"model\"><components><component objectid=\"2\" "
                + "transform=\"1 0 0 0 1 0 0 0 1 100 0 0\"/></components></object>"
                + "</resources><build>" + build + "</build></model>";
    }

    @Test
    void itemsComponentsTransformsUnitsAndBaseMaterialsAreRead() throws Exception {
        Path p = package3mf("t.3mf", tetrahedronModel("centimeter", "",
                "<item objectid=\"2\"/><item objectid=\"3\" transform=\"2 0 0 0 2 0 0 0 2 0 0 5\"/>"));
        try (Scene s = new ThreeMfReader().read(p, ReadOptions.DEFAULTS)) {
            assertEquals(0.01, s.units().metresPerUnit());
            assertEquals(UpAxis.Z, s.units().upAxis());
            assertEquals(2, s.roots().size());
            assertEquals(8, s.triangleCount(), "the tetrahedron and its placed copy");
            assertEquals(2, s.materials().size());
            assertEquals("half blue", s.materials().get(1).name());
            assertEquals(128 / 255.0, s.materials().get(1).baseColorFactor()[3], 1e-6);
            // object 2: triangles of material 0 (the object's default) and one of material 1
            assertEquals(2, s.roots().get(0).mesh().primitives().size());
            MeshReport r = Inspect.report(s);
            // the copy: scaled 2x about the origin after a shift of 100 along x, then lifted 5 along z
            assertEquals(0, r.bboxMin()[0], 1e-9);
            assertEquals(220, r.bboxMax()[0], 1e-9);
            assertEquals(25, r.bboxMax()[2], 1e-9);
            assertEquals(1000.0 / 6 * 9, r.volume(), 1e-6, "a tetrahedron of volume 1000/6 and its copy 8 times that");
        }
    }

    @Test
    void whatWeWriteReadsBackWatertightInMillimetresAndAssimpAgrees() throws Exception {
        Path out = dir.resolve("cube.3mf");
        try (Scene cube = new ObjReader().read(TestData.file("cube.obj"), ReadOptions.DEFAULTS)) {
            new ThreeMfWriter().write(cube, out, WriteOptions.DEFAULTS);
        }
        try (Scene back = new ThreeMfReader().read(out, ReadOptions.DEFAULTS)) {
            assertEquals(0.001, back.units().metresPerUnit());
            MeshReport r = Inspect.report(back);
            assertEquals(8, r.vertices());
            assertEquals(12, r.triangles());
            assertTrue(r.watertight());
            // the OBJ's 1 m cube, Y up, arrives as 1000 mm, Z up, still outward
            assertEquals(1e9, r.volume(), 1e-3);
            assertEquals(1000, r.bboxMax()[2] - r.bboxMin()[2], 1e-9);
        }
        assertEquals(12, AssimpReader.read(out).triangles());
    }

    @Test
    void hostileModelsAreRefusedInOneSentence() throws Exception {
        Path outOfRange = package3mf("range.3mf", tetrahedronModel("millimeter", " v4=\"0\"", "<item objectid=\"2\"/>")
                .replace("v1=\"1\" v2=\"2\" v3=\"3\"", "v1=\"1\" v2=\"2\" v3=\"7\""));
        BadInputException e = assertThrows(BadInputException.class,
                () -> new ThreeMfReader().read(outOfRange, ReadOptions.DEFAULTS));
        assertTrue(e.getMessage().contains("range.3mf") && e.getMessage().contains("triangle index 7"),
                e.getMessage());
        Path missing = package3mf("missing.3mf", tetrahedronModel("millimeter", "", "<item objectid=\"9\"/>"));
        e = assertThrows(BadInputException.class, () -> new ThreeMfReader().read(missing, ReadOptions.DEFAULTS));
        assertTrue(e.getMessage().contains("names object 9"), e.getMessage());
        Path unit = package3mf("unit.3mf", tetrahedronModel("furlong", "", "<item objectid=\"2\"/>"));
        e = assertThrows(BadInputException.class, () -> new ThreeMfReader().read(unit, ReadOptions.DEFAULTS));
        assertTrue(e.getMessage().contains("furlong"), e.getMessage());
        // an external entity is never resolved: the file's bytes cannot reach the scene
        Path secret = Files.writeString(dir.resolve("secret.txt"), "1");
        Path xxe = package3mf("xxe.3mf", "<?xml version=\"1.0\"?><!DOCTYPE model [<!ENTITY x SYSTEM \"file://"
                + secret + "\">]>" + tetrahedronModel("millimeter", "", "<item objectid=\"2\"/>")
                .replace("<?xml version=\"1.0\"?>", "").replace("x=\"10\"", "x=\"&x;0\""));
        assertThrows(BadInputException.class, () -> new ThreeMfReader().read(xxe, ReadOptions.DEFAULTS));
        Path cycle = package3mf("cycle.3mf", tetrahedronModel("millimeter", "", "<item objectid=\"3\"/>")
                .replace("<component objectid=\"2\"", "<component objectid=\"3\""));
        e = assertThrows(BadInputException.class, () -> new ThreeMfReader().read(cycle, ReadOptions.DEFAULTS));
        assertTrue(e.getMessage().contains("nests components"), e.getMessage());
    }
}
