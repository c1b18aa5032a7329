// Every corpus model renders, and where it has triangles its silhouette matches an independent CPU projection.
package dev.meshforge.render;

import dev.meshforge.core.BadInputException;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.scene.Scene;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertTrue;

class CorpusRenderTest {
    static final int SIZE = 256;
    static final double MIN_IOU = 0.99;

    @Test
    void everyCorpusModelRendersAndItsSilhouetteMatchesTheCpuProjection() {
        Path root = CorpusFiles.root();
        List<String> failures = new ArrayList<>();
        int rendered = 0;
        int compared = 0;
        double worst = 1;
        String worstFile = "";
        // One sample a pixel: the GPU then covers exactly the pixels whose centres a triangle covers, the rule the
        // CPU projection follows, so that what remains is a disagreement about geometry, not antialiasing.
        RenderOptions options = RenderOptions.DEFAULTS.withViews(List.of(View.named("three_quarter")))
                .withSize(SIZE, SIZE).withShadow(false).withSamples(1);
        try (StudioRenderer renderer = StudioRenderer.open()) {
            for (String file : CorpusFiles.models()) {
                long start = System.nanoTime();
                Scene scene;
                try {
                    scene = Formats.read(root.resolve(file));
                } catch (RuntimeException e) {
                    System.out.printf("%-60s not read: %s%n", file, e.getMessage());
                    continue; // the readers' tests own what they refuse
                }
                try (scene) {
                    RenderResult r;
                    try {
                        r = renderer.render(scene, options);
                    } catch (BadInputException e) {
                        boolean nothing = scene.triangleCount() == 0;
                        System.out.printf("%-60s refused: %s%n", file, e.getMessage());
                        if (!nothing) {
                            failures.add(file + ": refused although it has triangles: " + e.getMessage());
                        }
                        continue;
                    } catch (RuntimeException e) {
                        failures.add(file + ": " + e);
                        continue;
                    }
                    rendered++;
                    RenderedView v = r.views().get(0);
                    if (scene.triangleCount() == 0) {
                        System.out.printf("%-60s rendered without triangles%n", file);
                        continue;
                    }
                    boolean[] mask = SilhouetteRaster.mask(scene, v.viewProjection(), SIZE, SIZE);
                    double iou = SilhouetteRaster.iou(mask, v.image());
                    compared++;
                    if (iou < worst) {
                        worst = iou;
                        worstFile = file;
                    }
                    System.out.printf(Locale.ROOT, "%-60s IoU %.4f  %4d ms%n", file, iou,
                            (System.nanoTime() - start) / 1_000_000);
                    if (iou < MIN_IOU) {
                        failures.add(String.format(Locale.ROOT, "%s: IoU %.4f < %.2f", file, iou, MIN_IOU));
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "rendered %d, compared %d, worst IoU %.4f (%s)%n", rendered, compared, worst,
                worstFile);
        assertTrue(compared >= 80, "only " + compared + " corpus models were compared");
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }
}
