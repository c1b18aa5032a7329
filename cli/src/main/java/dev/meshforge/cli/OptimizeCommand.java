// `meshforge optimize IN OUT [--preset web|mobile|print-preview]`: a GLB or glTF made small for the web.
package dev.meshforge.cli;

import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.MeshEncoding;
import dev.meshforge.core.ops.Optimize;
import dev.meshforge.core.ops.RunControl;
import dev.meshforge.core.ops.ToolResult;
import dev.meshforge.core.scene.Scene;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

@Command(name = "optimize", addMethodSubcommands = false, mixinStandardHelpOptions = true,
        description = "Make a GLB or glTF small for the web: dedup, prune, static meshes joined by material, weld, simplify (optional), vertex-cache "
                + "and vertex-fetch order, textures scaled to a maximum size, quantized attributes "
                + "(KHR_mesh_quantization) and meshopt compression (EXT_meshopt_compression). Skins, morph targets "
                + "and animations are kept; the report names everything dropped. Any readable model may be IN.")
final class OptimizeCommand extends FileToFileCommand {
    @Option(names = "--preset", paramLabel = "web|mobile|print-preview",
            description = "starting settings the other options change (default: web)")
    String preset = "web";

    @Option(names = "--no-dedup", description = "keep identical textures, materials, meshes and streams apart")
    boolean noDedup;

    @Option(names = "--no-prune", description = "keep unused nodes, materials, textures and skins")
    boolean noPrune;

    @Option(names = "--no-merge", description = "keep each static mesh on its node instead of joining those that "
            + "share a material in world space")
    boolean noMerge;

    @Option(names = "--no-weld", description = "keep vertices that agree in every attribute apart")
    boolean noWeld;

    @Option(names = "--simplify-ratio", paramLabel = "R", description = "keep this share of the triangles, (0, 1]")
    Double simplifyRatio;

    @Option(names = "--simplify-error", paramLabel = "E",
            description = "let simplification move the surface at most this fraction of the extent")
    Double simplifyError;

    @Option(names = "--no-reorder", description = "keep the triangle and vertex order")
    boolean noReorder;

    @Option(names = "--position-bits", paramLabel = "N", description = "0 (float) or 2 to 16 (preset: 14)")
    Integer positionBits;

    @Option(names = "--texcoord-bits", paramLabel = "N", description = "0 (float) or 2 to 16 (preset: 12)")
    Integer texCoordBits;

    @Option(names = "--normal-bits", paramLabel = "N", description = "0 (float) or 2 to 16 (preset: 8)")
    Integer normalBits;

    @Option(names = "--color-bits", paramLabel = "N", description = "0 (float) or 2 to 16 (preset: 8)")
    Integer colorBits;

    @Option(names = "--no-quantize", description = "write every attribute as float")
    boolean noQuantize;

    @Option(names = "--no-compress", description = "write without EXT_meshopt_compression")
    boolean noCompress;

    @Option(names = "--max-texture-size", paramLabel = "PIXELS",
            description = "scale larger textures down to this side; 0 keeps them (preset: web 2048, mobile 1024, "
                    + "print-preview 512)")
    Integer maxTextureSize;

    @Option(names = "--jpeg-quality", paramLabel = "Q", description = "1 to 100 for re-encoded JPEG textures")
    Integer jpegQuality;

    @Option(names = "--ktx2", description = "compress PNG and JPEG textures to KTX2 (Basis Universal ETC1S, "
            + "KHR_texture_basisu), as gltfpack -tc does")
    boolean ktx2;

    private Optimize.Options options;

    @Override
    void validate() {
        Format f = Format.forOutput(out);
        if (f != Format.GLB && f != Format.GLTF) {
            throw usage("OUT must end in .glb or .gltf, not " + out.getFileName());
        }
        Optimize.Options base;
        try {
            base = Optimize.Preset.parse(preset).options(out);
        } catch (IllegalArgumentException e) {
            throw usage("--" + e.getMessage());
        }
        MeshEncoding e = base.encoding();
        MeshEncoding encoding;
        try {
            encoding = noQuantize ? MeshEncoding.FLOAT.withMeshoptCompression(e.meshoptCompression())
                    : new MeshEncoding(or(positionBits, e.positionBits(), "--position-bits"),
                    or(texCoordBits, e.texCoordBits(), "--texcoord-bits"), or(normalBits, e.normalBits(),
                    "--normal-bits"), or(colorBits, e.colorBits(), "--color-bits"), e.meshoptCompression());
        } catch (IllegalArgumentException ex) {
            throw usage(ex.getMessage());
        }
        try {
            options = new Optimize.Options(out, !noDedup && base.dedup(), !noPrune && base.prune(),
                    !noWeld && base.weld(), simplifyRatio != null ? simplifyRatio : base.simplifyRatio(),
                    simplifyError != null ? simplifyError : base.simplifyError(), !noReorder && base.reorder(),
                    encoding.withMeshoptCompression(!noCompress && encoding.meshoptCompression()),
                    maxTextureSize != null ? maxTextureSize : base.maxTextureSize(),
                    jpegQuality != null ? jpegQuality : base.jpegQuality(), ktx2 || base.ktx2(),
                    !noMerge && base.merge());
        } catch (IllegalArgumentException ex) {
            throw usage("--" + ex.getMessage());
        }
    }

    /** The given bit count, checked so that a bad one names its option, or the preset's. */
    private int or(Integer given, int preset, String option) {
        if (given == null) {
            return preset;
        }
        if (given != 0 && (given < 2 || given > 16)) {
            throw new IllegalArgumentException(option + " must be 0 (float) or 2 to 16, not " + given);
        }
        return given;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    @Override
    ToolResult<?> run(Scene scene, RunControl control) {
        return Optimize.TOOL.run(scene, options, control);
    }
}
