// Material features whose result is known exactly: blending, masking, culling, vertex colours, emission.
package dev.meshforge.render;

import dev.meshforge.core.scene.AlphaMode;
import dev.meshforge.core.scene.Material;
import dev.meshforge.core.scene.Mesh;
import dev.meshforge.core.scene.Node;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Transform;
import dev.meshforge.core.scene.VertexAttribute;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MaterialRenderTest {
    static StudioRenderer renderer;

    @BeforeAll
    static void open() {
        renderer = StudioRenderer.open();
    }

    @AfterAll
    static void close() {
        if (renderer != null) {
            renderer.close();
        }
    }

    static Material unlit(int r, int g, int b, float alpha, AlphaMode mode, boolean doubleSided) {
        return new Material("m", new float[] {TestScenes.linear(r), TestScenes.linear(g), TestScenes.linear(b), alpha},
                0, 1, -1, -1, -1, -1, -1, new float[3], doubleSided, mode, 0.5f, Map.of(),
                Map.of("KHR_materials_unlit", "{}"));
    }

    static RenderOptions exact(String view) {
        return AnalyticRenderTest.front(32).withViews(List.of(View.named(view))).withToneMapping(ToneMapping.NONE);
    }

    static RgbaImage render(Scene s, RenderOptions o) {
        return renderer.render(s, o).views().get(0).image();
    }

    @Test
    void aBlendedQuadOverAnotherMixesThemInLinearLight() {
        try (Scene s = TestScenes.quad(unlit(255, 0, 0, 1, AlphaMode.OPAQUE, false))) {
            s.materials().add(unlit(0, 0, 255, 0.25f, AlphaMode.BLEND, false));
            Primitive front = s.roots().get(0).mesh().primitives().get(0);
            // The same quad again, a little nearer the camera, in the blended material.
            Primitive copy = new Primitive(front.topology(), front.positions(), front.indices(), front.indexCount())
                    .put(front.attribute(VertexAttribute.NORMAL)).material(1);
            s.addRoot(new Node("glass").mesh(new Mesh("glass").add(copy)).local(Transform.translation(0, 0, 0.5)));
            RgbaImage img = render(s, exact("front"));
            assertEquals(AnalyticRenderTest.linearToSrgbByte(0.75), img.get(16, 16, 0));
            assertEquals(0, img.get(16, 16, 1));
            assertEquals(AnalyticRenderTest.linearToSrgbByte(0.25), img.get(16, 16, 2));
            assertEquals(255, img.get(16, 16, 3));
        }
    }

    @Test
    void aBlendedQuadOnATransparentBackgroundKeepsItsColourAndItsAlpha() {
        try (Scene s = TestScenes.quad(unlit(30, 140, 220, 0.4f, AlphaMode.BLEND, false))) {
            RgbaImage img = render(s, exact("front"));
            assertEquals(30, img.get(16, 16, 0), 1);
            assertEquals(140, img.get(16, 16, 1), 1);
            assertEquals(220, img.get(16, 16, 2), 1);
            assertEquals(Math.round(0.4f * 255), img.get(16, 16, 3), 1);
        }
    }

    @Test
    void maskDropsFragmentsBelowTheCutoffAndMakesTheRestOpaque() {
        try (Scene below = TestScenes.quad(unlit(9, 9, 9, 0.3f, AlphaMode.MASK, false));
             Scene above = TestScenes.quad(unlit(9, 9, 9, 0.7f, AlphaMode.MASK, false))) {
            assertEquals(0, render(below, exact("front")).get(16, 16, 3));
            RgbaImage img = render(above, exact("front"));
            assertEquals(255, img.get(16, 16, 3));
            assertEquals(9, img.get(16, 16, 0));
        }
    }

    @Test
    void backFacesOfSingleSidedMaterialsAreCulledAndDoubleSidedOnesShown() {
        try (Scene single = TestScenes.quad(unlit(50, 100, 150, 1, AlphaMode.OPAQUE, false));
             Scene both = TestScenes.quad(unlit(50, 100, 150, 1, AlphaMode.OPAQUE, true))) {
            assertEquals(255, render(single, exact("front")).get(16, 16, 3));
            assertEquals(0, render(single, exact("back")).get(16, 16, 3));
            RgbaImage back = render(both, exact("back"));
            assertEquals(255, back.get(16, 16, 3));
            assertEquals(100, back.get(16, 16, 1));
        }
    }

    @Test
    void aMirroringPlacementKeepsFrontFacesInFront() {
        // Scale -1 in x mirrors the quad and reverses its winding; the front view must still see its front.
        try (Scene s = TestScenes.quad(unlit(50, 100, 150, 1, AlphaMode.OPAQUE, false))) {
            s.roots().get(0).local(Transform.scale(-1, 1, 1));
            assertEquals(255, render(s, exact("front")).get(16, 16, 3));
            assertEquals(0, render(s, exact("back")).get(16, 16, 3));
        }
    }

    @Test
    void vertexColoursMultiplyTheBaseColour() {
        try (Scene s = TestScenes.quad(unlit(255, 255, 255, 1, AlphaMode.OPAQUE, false))) {
            Primitive p = s.roots().get(0).mesh().primitives().get(0);
            float g = TestScenes.linear(128);
            p.put(TestScenes.attribute(s, "COLOR_0", 3, new float[] {1, g, 0, 1, g, 0, 1, g, 0, 1, g, 0}));
            RgbaImage img = render(s, exact("front"));
            assertEquals(255, img.get(16, 16, 0));
            assertEquals(128, img.get(16, 16, 1));
            assertEquals(0, img.get(16, 16, 2));
        }
    }

    @Test
    void emissionAddsItsStrengthTimesItsFactorUnderAnyLighting() {
        // A black dielectric under the dramatic studio barely reflects; its emission dominates and is exact
        // where the environment adds nothing: measured against the same quad without emission.
        Material dark = new Material("dark", new float[] {0, 0, 0, 1}, 0, 1, -1, -1, -1, -1, -1,
                new float[] {0.1f, 0.05f, 0}, false, AlphaMode.OPAQUE, 0.5f, Map.of(),
                Map.of("KHR_materials_emissive_strength", "{\"emissiveStrength\":4}"));
        Material plain = new Material("plain", new float[] {0, 0, 0, 1}, 0, 1, -1, -1, -1, -1, -1,
                new float[3], false, AlphaMode.OPAQUE, 0.5f, Map.of(), Map.of());
        try (Scene lit = TestScenes.quad(dark); Scene unlitScene = TestScenes.quad(plain)) {
            RenderOptions o = exact("front").withLighting(Lighting.DRAMATIC);
            RgbaImage a = render(lit, o);
            RgbaImage b = render(unlitScene, o);
            double base = AnalyticRenderTest.srgbToLinear(b.get(16, 16, 0));
            double withEmission = AnalyticRenderTest.srgbToLinear(a.get(16, 16, 0));
            assertEquals(0.4, withEmission - base, 0.01);
            assertEquals(b.get(16, 16, 2), a.get(16, 16, 2), "blue emits nothing");
        }
    }
}
