// The optimize tool: a glTF made small for the web, each step's effect and every dropped name reported.
package dev.meshforge.core.ops;

import dev.meshforge.core.UnsupportedFeatureException;
import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.MeshEncoding;
import dev.meshforge.core.io.WriteOptions;
import dev.meshforge.core.optimize.Dedup;
import dev.meshforge.core.optimize.MergeMeshes;
import dev.meshforge.core.optimize.MeshSteps;
import dev.meshforge.core.optimize.Prune;
import dev.meshforge.core.optimize.SceneSize;
import dev.meshforge.core.optimize.StepReport;
import dev.meshforge.core.optimize.TextureKtx2;
import dev.meshforge.core.optimize.TextureResize;
import dev.meshforge.core.optimize.WrittenGltf;
import dev.meshforge.core.ops.internal.SceneCopy;
import dev.meshforge.core.scene.Mesh;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Material;
import dev.meshforge.core.scene.Scene;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Dedup, prune, static meshes joined by material in world space, weld (triangles that name one vertex twice
 * dropped), simplify (optional), vertex-cache and vertex-fetch order, textures scaled to a maximum size (and, on
 * request, compressed to KTX2/Basis Universal), then the GLB or glTF written with quantized attributes
 * (KHR_mesh_quantization) and meshopt-compressed views (EXT_meshopt_compression). Skins, morph targets and animations
 * are kept. Its output is the file it writes (the result has no scene), since quantization and compression are the
 * writing itself and the report measures them.
 */
public final class Optimize implements Tool<Optimize.Options, Optimize.Report> {
    /** Settings for a kind of use; every one can be changed afterwards. */
    public enum Preset {
        /** Geometry kept, quantized as gltfpack does, compressed, textures at most 2048 pixels. */
        WEB,
        /**
         * As web, simplified to half the triangles unless that moves the surface more than 1 % of the extent,
         * textures at most 1024 pixels and JPEG quality 80.
         */
        MOBILE,
        /** Finer positions (16 bits), textures at most 512 pixels: for a look at a model before printing it. */
        PRINT_PREVIEW;

        public Options options(Path output) {
            return switch (this) {
                case WEB -> new Options(output, true, true, true, 1, 0, true, MeshEncoding.QUANTIZED
                        .withMeshoptCompression(true), 2048, 90);
                case MOBILE -> new Options(output, true, true, true, 0.5, 0.01, true, MeshEncoding.QUANTIZED
                        .withMeshoptCompression(true), 1024, 80);
                case PRINT_PREVIEW -> new Options(output, true, true, true, 1, 0, true,
                        new MeshEncoding(16, 12, 8, 8, true), 512, 85);
            };
        }

        /** web, mobile or print-preview, in any case; anything else is an IllegalArgumentException naming them. */
        public static Preset parse(String name) {
            for (Preset p : values()) {
                if (p.label().equalsIgnoreCase(name)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("preset must be web, mobile or print-preview, not '" + name + "'");
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * @param output         the GLB or glTF to write
     * @param simplifyRatio  the share of triangles to keep, in (0, 1]; 1 does not simplify
     * @param simplifyError  the largest error simplification may make, as a fraction of the extent; 0 for none.
     *                       With a ratio too, the first bound reached ends simplification
     * @param encoding       quantization bits and meshopt compression of the written vertex data
     * @param maxTextureSize the largest texture side kept, in pixels; 0 keeps every texture as it is
     * @param jpegQuality    1 to 100, for JPEG textures that are re-encoded
     * @param ktx2           PNG and JPEG textures compressed to KTX2 (Basis Universal ETC1S, KHR_texture_basisu) as
     *                       gltfpack's {@code -tc} does; where libktx cannot be loaded they stay, with a warning
     * @param merge          static geometry joined by material in world space ({@link MergeMeshes}), as gltfpack
     *                       does unless told to keep nodes
     */
    public record Options(Path output, boolean dedup, boolean prune, boolean weld, double simplifyRatio,
                          double simplifyError, boolean reorder, MeshEncoding encoding, int maxTextureSize,
                          int jpegQuality, boolean ktx2, boolean merge) {
        /** Options that keep PNG and JPEG textures in their format and merge static meshes. */
        public Options(Path output, boolean dedup, boolean prune, boolean weld, double simplifyRatio,
                       double simplifyError, boolean reorder, MeshEncoding encoding, int maxTextureSize,
                       int jpegQuality) {
            this(output, dedup, prune, weld, simplifyRatio, simplifyError, reorder, encoding, maxTextureSize,
                    jpegQuality, false, true);
        }

        public Options {
            Objects.requireNonNull(output, "output");
            Objects.requireNonNull(encoding, "encoding");
            Format f = Format.forOutput(output);
            if (f != Format.GLB && f != Format.GLTF) {
                throw new IllegalArgumentException("the output must be a .glb or .gltf file, not " + output);
            }
            if (!(simplifyRatio > 0 && simplifyRatio <= 1)) {
                throw new IllegalArgumentException("simplify-ratio must be more than 0 and at most 1, not "
                        + simplifyRatio);
            }
            if (!(simplifyError >= 0 && simplifyError < 1)) {
                throw new IllegalArgumentException("simplify-error must be 0 or more and less than 1 (a fraction "
                        + "of the extent), not " + simplifyError);
            }
            if (maxTextureSize < 0 || maxTextureSize > 16384) {
                throw new IllegalArgumentException("max-texture-size must be 0 (keep) or 1 to 16384 pixels, not "
                        + maxTextureSize);
            }
            if (jpegQuality < 1 || jpegQuality > 100) {
                throw new IllegalArgumentException("jpeg-quality must be 1 to 100, not " + jpegQuality);
            }
        }

        public Options withKtx2(boolean compress) {
            return new Options(output, dedup, prune, weld, simplifyRatio, simplifyError, reorder, encoding,
                    maxTextureSize, jpegQuality, compress, merge);
        }

        public Options withMerge(boolean join) {
            return new Options(output, dedup, prune, weld, simplifyRatio, simplifyError, reorder, encoding,
                    maxTextureSize, jpegQuality, ktx2, join);
        }

        public boolean simplifies() {
            return simplifyRatio < 1 || simplifyError > 0;
        }
    }

    /**
     * @param output          the file written
     * @param inputTriangles  triangles of the input (instances counted each time)
     * @param outputTriangles triangles written
     * @param outputBytes     the size of the file written (companion files not counted)
     * @param steps           each step run, in order, with its effect and what it changed by name
     * @param textures        each image resized or compressed to KTX2 (mime type image/ktx2), its pixels and bytes
     *                        before and after
     * @param buffers         the byte length of each written buffer (with compression, buffer 1 is the fallback
     *                        that describes the decoded layout and holds no data)
     * @param dropped         every vertex attribute, material extension and name of the input the output lacks
     */
    public record Report(Path output, long inputTriangles, long outputTriangles, long outputBytes,
                         List<StepReport> steps, List<TextureResize.Result> textures, List<Long> buffers,
                         List<String> dropped) implements dev.meshforge.core.Report {
        @Override
        public List<String> toText() {
            List<String> lines = new ArrayList<>();
            lines.add(String.format(Locale.ROOT, "wrote %s: %d bytes, %d -> %d triangles", output, outputBytes,
                    inputTriangles, outputTriangles));
            steps.forEach(s -> lines.addAll(s.toText()));
            for (TextureResize.Result t : textures) {
                lines.add(String.format(Locale.ROOT, "texture %s: %dx%d -> %dx%d, %d -> %d bytes%s", t.texture(),
                        t.width(), t.height(), t.newWidth(), t.newHeight(), t.bytes(), t.newBytes(),
                        t.mimeType().equals("image/ktx2") ? " (KTX2)" : ""));
            }
            for (int i = 0; i < buffers.size(); i++) {
                lines.add("buffer " + i + ": " + buffers.get(i) + " bytes" + (i == 1 ? " (fallback, no data)" : ""));
            }
            dropped.forEach(d -> lines.add("dropped: " + d));
            return lines;
        }
    }

    public static final Optimize TOOL = new Optimize();

    private Optimize() {
    }

    @Override
    public String name() {
        return "optimize";
    }

    @Override
    public ToolResult<Report> run(Scene input, Options options, RunControl control) {
        StageClock clock = new StageClock(name(), control);
        Path parent = options.output().toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new UnsupportedFeatureException("the output directory " + parent + " does not exist");
        }
        List<StepReport> steps = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Scene copy = new Scene();
        SceneCopy.withMeshes(input, copy, Optimize::meshCopy);
        Scene simplified = null;
        try {
            Scene out = copy;
            step(steps, clock, 0.05, "dedup", options.dedup(), out, Dedup::run);
            step(steps, clock, 0.15, "prune", options.prune(), out, Prune::run);
            step(steps, clock, 0.2, "merge", options.merge(), out, MergeMeshes::run);
            step(steps, clock, 0.25, "weld", options.weld(), out, MeshSteps::weld);
            // Points and lines have nothing to simplify: a point cloud passes through the other steps.
            if (options.simplifies() && out.triangleCount() > 0) {
                clock.checkpoint(0.3, "simplify");
                SceneSize before = SceneSize.of(out);
                ToolResult<Simplify.Report> r = Simplify.TOOL.run(out, simplifyOptions(options), control);
                if (r.scene() != out) {
                    simplified = r.scene();
                    out = simplified;
                    // the steps after simplify change primitive lists in place: the simplified meshes are new, the
                    // others are this run's own copies
                }
                warnings.addAll(r.warnings());
                steps.add(new StepReport("simplify", before, SceneSize.of(out), r.report().toText()));
            }
            step(steps, clock, 0.45, "reorder", options.reorder(), out, s -> {
                MeshSteps.reorder(s);
                return List.of();
            });
            clock.checkpoint(0.6, "textures");
            List<TextureResize.Result> textures = new ArrayList<>(TextureResize.run(out, options.maxTextureSize(),
                    options.jpegQuality(), colourTextures(out), warnings));
            if (options.ktx2()) {
                clock.checkpoint(0.65, "ktx2");
                textures.addAll(TextureKtx2.run(out, colourTextures(out), normalTextures(out), warnings));
            }
            clock.checkpoint(0.7, "write");
            SceneSize beforeWrite = SceneSize.of(out);
            ToolResult<Convert.Report> written = Convert.run(out, new Convert.Options(options.output(), null,
                    new WriteOptions(false, options.encoding())));
            warnings.addAll(written.warnings());
            WrittenGltf layout = WrittenGltf.read(options.output());
            if (options.encoding().quantized()) {
                steps.add(new StepReport("quantize", beforeWrite, beforeWrite.withBytes(layout.dataBytes()),
                        List.of()));
            }
            if (options.encoding().meshoptCompression()) {
                steps.add(new StepReport("compress", beforeWrite.withBytes(layout.dataBytes()),
                        beforeWrite.withBytes(layout.storedBytes()), List.of()));
            }
            List<Long> buffers = new ArrayList<>();
            for (long b : layout.buffers()) {
                buffers.add(b);
            }
            Report report = new Report(options.output(), input.triangleCount(), out.triangleCount(),
                    Files.size(options.output()), steps, textures, buffers, dropped(input, out, layout));
            return new ToolResult<>(null, false, List.of(options.output()), report, warnings, clock.finish());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (simplified != null) {
                simplified.close();
            }
            copy.close();
        }
    }

    private static Simplify.Options simplifyOptions(Options o) {
        if (o.simplifyRatio() < 1) {
            Simplify.Options ratio = Simplify.Options.ratio(o.simplifyRatio());
            return o.simplifyError() > 0 ? ratio.withError(o.simplifyError()) : ratio;
        }
        return Simplify.Options.error(o.simplifyError());
    }

    /** A mesh over new primitive objects (sharing their data), whose lists the steps may change. */
    private static Mesh meshCopy(Mesh m) {
        Mesh copy = new Mesh(m.name()).weights(m.weights());
        for (Primitive p : m.primitives()) {
            Primitive q = new Primitive(p.topology(), p.positions(), p.indices(), p.indexCount());
            p.attributes().values().forEach(q::put);
            p.targets().forEach(q::addTarget);
            copy.add(q.positions64(p.positions64()).material(p.material()));
        }
        return copy;
    }

    private static void step(List<StepReport> steps, StageClock clock, double at, String name, boolean on, Scene s,
                             Function<Scene, List<String>> run) {
        if (!on) {
            return;
        }
        clock.checkpoint(at, name);
        SceneSize before = SceneSize.of(s);
        List<String> changes = run.apply(s);
        steps.add(new StepReport(name, before, SceneSize.of(s), changes));
    }

    /** Which textures hold colour (base colour, emissive): those are resized in sRGB. */
    private static boolean[] colourTextures(Scene s) {
        boolean[] srgb = new boolean[s.textures().size()];
        for (Material m : s.materials()) {
            for (int t : new int[] {m.baseColorTexture(), m.emissiveTexture()}) {
                if (t >= 0 && t < srgb.length) {
                    srgb[t] = true;
                }
            }
        }
        return srgb;
    }

    /** Which textures a material reads as its normal map: those are compressed in basisu's normal-map mode. */
    private static boolean[] normalTextures(Scene s) {
        boolean[] normal = new boolean[s.textures().size()];
        for (Material m : s.materials()) {
            if (m.normalTexture() >= 0 && m.normalTexture() < normal.length) {
                normal[m.normalTexture()] = true;
            }
        }
        return normal;
    }

    /** Attributes and material extensions of the input that the written file lacks, and names no longer there. */
    private static List<String> dropped(Scene input, Scene output, WrittenGltf layout) {
        List<String> dropped = new ArrayList<>();
        Set<String> attributes = new TreeSet<>();
        input.forEachPlacedMesh((m, t) -> m.primitives().forEach(p -> attributes.addAll(p.attributes().keySet())));
        for (String a : attributes) {
            if (!layout.attributes().contains(a) && !layout.attributes().contains("_" + a)) {
                dropped.add("attribute " + a);
            }
        }
        Set<String> extensions = new TreeSet<>();
        input.materials().forEach(m -> extensions.addAll(m.extensions().keySet()));
        for (String e : extensions) {
            if (!layout.extensions().contains(e)) {
                dropped.add("extension " + e);
            }
        }
        Set<String> kept = names(output);
        for (String n : names(input)) {
            if (!kept.contains(n)) {
                dropped.add(n);
            }
        }
        return dropped;
    }

    private static Set<String> names(Scene s) {
        Set<String> names = new TreeSet<>();
        s.forEachPlacedNode((n, t) -> {
            if (!n.name().isEmpty()) {
                names.add("node '" + n.name() + "'");
            }
            if (n.mesh() != null && !n.mesh().name().isEmpty()) {
                names.add("mesh '" + n.mesh().name() + "'");
            }
        });
        s.materials().stream().filter(m -> m.name() != null && !m.name().isEmpty())
                .forEach(m -> names.add("material '" + m.name() + "'"));
        s.textures().stream().filter(t -> t.name() != null && !t.name().isEmpty())
                .forEach(t -> names.add("texture '" + t.name() + "'"));
        s.animations().stream().filter(a -> a.name() != null && !a.name().isEmpty())
                .forEach(a -> names.add("animation '" + a.name() + "'"));
        s.skins().stream().filter(k -> k.name() != null && !k.name().isEmpty())
                .forEach(k -> names.add("skin '" + k.name() + "'"));
        return names;
    }
}
