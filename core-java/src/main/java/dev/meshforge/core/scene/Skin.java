// A skeleton binding: the joint nodes and their inverse bind matrices, referenced by skinned nodes.
package dev.meshforge.core.scene;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * A skin. A node with a skin deforms its mesh by the JOINTS_n/WEIGHTS_n attributes, whose joint numbers index
 * {@code joints}.
 *
 * @param joints              the joint nodes, in the order JOINTS_n values refer to them
 * @param skeleton            the common root of the joints, or null
 * @param inverseBindMatrices 16 float32 values (column-major) per joint, or null for identities
 */
public record Skin(String name, List<Node> joints, Node skeleton, MemorySegment inverseBindMatrices) {
    public Skin {
        joints = List.copyOf(joints);
        if (inverseBindMatrices != null && inverseBindMatrices.byteSize() < joints.size() * 64L) {
            throw new IllegalArgumentException("inverse bind matrices for " + joints.size()
                    + " joints need " + joints.size() * 64L + " bytes, got " + inverseBindMatrices.byteSize());
        }
    }
}
