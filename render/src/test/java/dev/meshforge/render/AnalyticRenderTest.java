// Renders whose right answer is known without a reference renderer: exact colours, exact alpha, a white furnace.
package dev.meshforge.render;

import dev.meshforge.core.scene.Scene;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnalyticRenderTest {
    static StudioRenderer renderer;

    @BeforeAll
    static void open() {
        renderer = StudioRenderer.open();
        System.out.println("renderer: " + renderer.description());
    }

    @AfterAll
    static void close() {
        if (renderer != null) {
            renderer.close();
        }
    }

    static RenderOptions front(int size) {
        return RenderOptions.DEFAULTS.withViews(List.of(View.named("front"))).withSize(size, size)
                .withShadow(false).withProjection(Projection.ORTHOGRAPHIC, 35);
    }

    @Test
    void unlitQuadRendersItsExactSrgbColourWithoutToneMapping() {
        int[][] colours = {{200, 30, 90}, {1, 128, 254}, {255, 255, 255}, {0, 0, 0}, {17, 64, 181}};
        for (int[] c : colours) {
            try (Scene s = TestScenes.quad(TestScenes.unlit(c[0], c[1], c[2]))) {
                RgbaImage img = renderer.render(s, front(64).withToneMapping(ToneMapping.NONE)).views().get(0).image();
                for (int[] xy : new int[][] {{32, 32}, {10, 10}, {53, 53}, {10, 53}}) {
                    assertEquals(c[0], img.get(xy[0], xy[1], 0), "red at " + xy[0] + "," + xy[1]);
                    assertEquals(c[1], img.get(xy[0], xy[1], 1), "green");
                    assertEquals(c[2], img.get(xy[0], xy[1], 2), "blue");
                    assertEquals(255, img.get(xy[0], xy[1], 3), "alpha");
                }
            }
        }
    }
}
