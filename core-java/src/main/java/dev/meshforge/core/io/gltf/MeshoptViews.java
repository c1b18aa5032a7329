// Decodes buffer views compressed with EXT_meshopt_compression, using meshoptimizer's decoder through LWJGL.
package dev.meshforge.core.io.gltf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshforge.core.LimitExceededException;
import dev.meshforge.core.UnsupportedFeatureException;
import org.lwjgl.util.meshoptimizer.MeshOptimizer;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * EXT_meshopt_compression: the compressed bytes are checked against their buffer, then decoded (ATTRIBUTES,
 * TRIANGLES or INDICES) into native memory of the document's arena and unfiltered (OCTAHEDRAL, QUATERNION,
 * EXPONENTIAL) in place. A decoder error means malformed data and is reported as such.
 */
final class MeshoptViews {
    private final GltfDocument doc;
    private final GltfJson json;

    MeshoptViews(GltfDocument doc) {
        this.doc = doc;
        this.json = doc.json;
    }

    MemorySegment decode(JsonNode ext, long byteLength, String where) {
        String w = where + ".extensions.EXT_meshopt_compression";
        int buffer = json.checkIndex(json.required(ext, "buffer", w), doc.bufferCount(), "buffer", w + ".buffer");
        long count = json.required(ext, "count", w);
        long stride = json.required(ext, "byteStride", w);
        String mode = json.string(ext, "mode", null, w);
        String filter = json.string(ext, "filter", "NONE", w);
        if (mode == null) {
            throw json.bad(w, "the required field 'mode' is missing");
        }
        if (count < 1 || stride < 1 || stride > 256) {
            throw json.bad(w, "count " + count + " and byteStride " + stride + " must be positive, byteStride at most "
                    + "256");
        }
        switch (mode) {
            case "ATTRIBUTES" -> {
                if (stride % 4 != 0) {
                    throw json.bad(w, "ATTRIBUTES need a byteStride that is a multiple of 4, not " + stride);
                }
            }
            case "TRIANGLES", "INDICES" -> {
                if (stride != 2 && stride != 4) {
                    throw json.bad(w, mode + " need a byteStride of 2 or 4, not " + stride);
                }
                if (mode.equals("TRIANGLES") && count % 3 != 0) {
                    throw json.bad(w, "TRIANGLES need a count that is a multiple of 3, not " + count);
                }
            }
            default -> throw json.bad(w, "mode '" + mode + "' is not ATTRIBUTES, TRIANGLES or INDICES");
        }
        if (count > (Integer.MAX_VALUE - 16) / stride) {
            throw new LimitExceededException(doc.file + ": " + w + " decodes to more than 2 GiB");
        }
        long decoded = count * stride;
        if (decoded < byteLength) {
            throw json.bad(w, "decodes to " + decoded + " bytes, less than the buffer view's byteLength " + byteLength);
        }
        MemorySegment source = doc.slice(doc.buffer(buffer), json.nonNegative(ext, "byteOffset", 0, w),
                json.required(ext, "byteLength", w), w, "buffers[" + buffer + "]");
        doc.chargeDecoded(decoded, true, w);
        MemorySegment in = doc.arena().allocate(Math.max(1, source.byteSize()));
        in.copyFrom(source);
        MemorySegment out = doc.arena().allocate(decoded, 16);
        ByteBuffer inBuf = in.asSlice(0, source.byteSize()).asByteBuffer();
        ByteBuffer outBuf = out.asByteBuffer();
        int rc;
        try {
            rc = switch (mode) {
                case "ATTRIBUTES" -> MeshOptimizer.meshopt_decodeVertexBuffer(outBuf, count, stride, inBuf);
                case "TRIANGLES" -> MeshOptimizer.meshopt_decodeIndexBuffer(outBuf, count, stride, inBuf);
                default -> MeshOptimizer.meshopt_decodeIndexSequence(outBuf, count, stride, inBuf);
            };
            switch (filter) {
                case "NONE" -> { }
                case "OCTAHEDRAL" -> {
                    requireAttributes(mode, stride == 4 || stride == 8, filter, w);
                    MeshOptimizer.meshopt_decodeFilterOct(outBuf, count, stride);
                }
                case "QUATERNION" -> {
                    requireAttributes(mode, stride == 8, filter, w);
                    MeshOptimizer.meshopt_decodeFilterQuat(outBuf, count, stride);
                }
                case "EXPONENTIAL" -> {
                    requireAttributes(mode, stride % 4 == 0, filter, w);
                    MeshOptimizer.meshopt_decodeFilterExp(outBuf, count, stride);
                }
                default -> throw json.bad(w, "filter '" + filter + "' is not NONE, OCTAHEDRAL, QUATERNION or "
                        + "EXPONENTIAL");
            }
        } catch (LinkageError e) {
            throw new UnsupportedFeatureException(doc.file + ": " + where + " is compressed with "
                    + "EXT_meshopt_compression, but meshoptimizer's native decoder (lwjgl-meshoptimizer) could not "
                    + "be loaded on this platform: " + e.getMessage());
        }
        if (rc != 0) {
            throw json.bad(w, "the meshopt-compressed data is malformed (decoder error " + rc + ")");
        }
        return out.asSlice(0, byteLength);
    }

    private void requireAttributes(String mode, boolean strideOk, String filter, String w) {
        if (!mode.equals("ATTRIBUTES") || !strideOk) {
            throw json.bad(w, "the " + filter + " filter does not fit mode " + mode + " with this byteStride");
        }
    }
}
