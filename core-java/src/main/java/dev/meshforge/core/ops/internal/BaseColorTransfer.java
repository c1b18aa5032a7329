// Turns materials' base colours (factor times texture) into vertex colours on a rebuilt surface: each input
// vertex carries a surface id and its base-colour UV through the kernel's attribute transfer, and the colour is
// looked up afterwards at the transferred values.
package dev.meshforge.core.ops.internal;

import dev.meshforge.core.scene.AlphaMode;
import dev.meshforge.core.scene.Material;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Texture;
import dev.meshforge.core.scene.TextureSlot;
import dev.meshforge.core.scene.VertexAttribute;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A surface is one (material, textured or not) pair. The kernel interpolates per-vertex attributes at the
 * closest point of the closest input triangle; the corners of an input triangle all belong to one primitive, so
 * the interpolated surface id is that triangle's, and the interpolated UV is a point of that triangle's texture
 * mapping. The UV is carried with the material's KHR_texture_transform already applied (an affine map commutes
 * with the interpolation) and from the UV set the material's base-colour slot names.
 */
public final class BaseColorTransfer {
    /** Floats each vertex carries through the kernel: surface id, base-colour u and v. */
    public static final int WIDTH = 3;
    private static final String SLOT = "baseColorTexture";
    private static final float[] WHITE = {1, 1, 1, 1};

    /** One colour source: a factor and, where the material has a usable texture and the primitive UVs, a texture. */
    private record Surface(int material, int texture) {
    }

    private final Scene scene;
    private final List<Surface> surfaces = new ArrayList<>();
    private final Map<Primitive, Integer> surfaceOf = new IdentityHashMap<>();
    private final Map<Integer, BaseColorImage> images = new HashMap<>();
    private final List<String> warnings = new ArrayList<>();
    private boolean coloured;
    private boolean mixed;

    private BaseColorTransfer(Scene scene) {
        this.scene = scene;
    }

    /**
     * The transfer for these triangle primitives of {@code scene}, or null where they share one material and it
     * has neither a base-colour texture nor a factor other than white (nothing to colour and nothing to tell
     * apart then).
     */
    public static BaseColorTransfer of(Scene scene, List<Primitive> primitives) {
        BaseColorTransfer t = new BaseColorTransfer(scene);
        Map<Surface, Integer> ids = new HashMap<>();
        for (Primitive p : primitives) {
            Material m = t.material(p.material());
            int texture = -1;
            if (m != null) {
                t.coloured |= m.baseColorTexture() >= 0 || !Arrays.equals(factor(m), WHITE);
                if (m.baseColorTexture() >= 0 && m.baseColorTexture() < scene.textures().size()
                        && uvs(p, m) != null) {
                    texture = m.baseColorTexture();
                }
            }
            Surface s = new Surface(m == null ? -1 : p.material(), texture);
            Integer id = ids.get(s);
            if (id == null) {
                id = t.surfaces.size();
                ids.put(s, id);
                t.surfaces.add(s);
            }
            t.surfaceOf.put(p, id);
            t.mixed |= t.surfaces.get(id).material != t.surfaces.get(0).material;
        }
        return t.coloured || t.mixed ? t : null;
    }

    /** Whether some material has a base-colour texture or a factor other than white. */
    public boolean coloured() {
        return coloured;
    }

    /** Whether the primitives have more than one material. */
    public boolean mixesMaterials() {
        return mixed;
    }

    /** The material index (into the input's materials, or -1) of a transferred surface id. */
    public int materialOf(float surfaceId) {
        return surfaces.get(Math.clamp(Math.round(surfaceId), 0, surfaces.size() - 1)).material;
    }

    private Material material(int index) {
        return index >= 0 && index < scene.materials().size() ? scene.materials().get(index) : null;
    }

    private static float[] factor(Material m) {
        float[] f = m.baseColorFactor();
        return f == null || f.length < 4 ? WHITE : f;
    }

    private static int uvSet(Material m) {
        TextureSlot slot = m.slot(SLOT);
        TextureSlot.UvTransform x = slot.transform();
        return x != null && x.texCoord() >= 0 ? x.texCoord() : slot.texCoord();
    }

    private static VertexAttribute uvs(Primitive p, Material m) {
        VertexAttribute a = p.attribute("TEXCOORD_" + uvSet(m));
        return a != null && a.components() >= 2 ? a : null;
    }

    /**
     * Writes the WIDTH floats of every vertex of {@code p}: vertex v's at float index {@code first + v * stride}
     * of {@code data}.
     */
    public void gather(Primitive p, MemorySegment data, long first, int stride) {
        int id = surfaceOf.get(p);
        Surface s = surfaces.get(id);
        VertexAttribute uv = null;
        TextureSlot.UvTransform x = null;
        if (s.texture >= 0) {
            Material m = scene.materials().get(s.material);
            uv = uvs(p, m);
            x = m.slot(SLOT).transform();
        }
        double cos = x == null ? 1 : Math.cos(x.rotation());
        double sin = x == null ? 0 : Math.sin(x.rotation());
        for (long v = 0; v < p.vertexCount(); v++) {
            float u = uv == null ? 0 : uv.get(v, 0);
            float w = uv == null ? 0 : uv.get(v, 1);
            if (x != null) {
                // KHR_texture_transform: scale, then rotate (counter-clockwise in the v-down image), then offset.
                double su = u * x.scaleU();
                double sv = w * x.scaleV();
                u = (float) (cos * su + sin * sv + x.offsetU());
                w = (float) (-sin * su + cos * sv + x.offsetV());
            }
            long at = first + v * stride;
            data.setAtIndex(ValueLayout.JAVA_FLOAT, at, id);
            data.setAtIndex(ValueLayout.JAVA_FLOAT, at + 1, u);
            data.setAtIndex(ValueLayout.JAVA_FLOAT, at + 2, w);
        }
    }

    /**
     * Decodes the textures the surfaces use, once each; one that fails is warned about and its surfaces fall back
     * to their factor.
     */
    public void decodeTextures() {
        for (Surface s : surfaces) {
            if (s.texture < 0 || images.containsKey(s.texture)) {
                continue;
            }
            Texture texture = scene.textures().get(s.texture);
            BaseColorImage image = null;
            try {
                image = BaseColorImage.decode(texture);
            } catch (BaseColorImage.UndecodableException e) {
                warnings.add("base-colour texture " + s.texture + (texture.name() == null ? "" : " ("
                        + texture.name() + ")") + " " + e.getMessage() + "; the material's base colour factor is used");
            }
            images.put(s.texture, image);
        }
    }

    /**
     * Multiplies {@code rgba} (the transferred vertex colour, or white) by the base colour of the surface with the
     * transferred id at the transferred UV: factor times texture, linear, clamped to [0, 1].
     */
    public void color(float surfaceId, float u, float v, float[] rgba, float[] scratch) {
        int id = Math.clamp(Math.round(surfaceId), 0, surfaces.size() - 1);
        Surface s = surfaces.get(id);
        Material m = material(s.material);
        float[] f = m == null ? WHITE : factor(m);
        BaseColorImage image = s.texture >= 0 ? images.get(s.texture) : null;
        if (image != null) {
            image.sample(u, v, scratch);
        } else {
            Arrays.fill(scratch, 1f);
        }
        for (int c = 0; c < 4; c++) {
            rgba[c] = Math.clamp(rgba[c] * f[c] * scratch[c], 0f, 1f);
        }
    }

    /**
     * The material of the rebuilt surface: white, untextured, so that the vertex colours show; the alpha mode is
     * the input materials' where they agree on one, else opaque.
     */
    public Material outputMaterial() {
        AlphaMode mode = null;
        float cutoff = 0.5f;
        boolean agree = true;
        for (Surface s : surfaces) {
            Material m = material(s.material);
            AlphaMode mm = m == null ? AlphaMode.OPAQUE : m.alphaMode();
            if (mode == null) {
                mode = mm;
                cutoff = m == null ? 0.5f : m.alphaCutoff();
            } else if (mode != mm) {
                agree = false;
            }
        }
        Material white = Material.ofColor("repaired", 1, 1, 1, 1);
        if (!agree || mode == null || mode == AlphaMode.OPAQUE) {
            return white;
        }
        return new Material(white.name(), white.baseColorFactor(), white.metallicFactor(), white.roughnessFactor(),
                -1, -1, -1, -1, -1, white.emissiveFactor(), false, mode, cutoff, Map.of(), Map.of());
    }

    /** Warnings about textures that could not be decoded. */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }
}
