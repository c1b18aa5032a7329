// A scene's length unit and up axis, and whether the source declared them or they were assumed.
package dev.meshforge.core.scene;

/**
 * Length unit (metres per unit) and up axis of a scene's coordinates.
 *
 * @param metresPerUnit how many metres one coordinate unit is (0.001 for millimetres)
 * @param upAxis        the axis that points up
 * @param declared      true when the source file stated the unit; false when it was assumed (STL has no unit)
 */
public record Units(double metresPerUnit, UpAxis upAxis, boolean declared) {
    /** glTF's convention: metres, Y up, declared by the specification. */
    public static final Units GLTF = new Units(1.0, UpAxis.Y, true);
    /** STL's custom: millimetres, Z up, assumed because the format carries no unit. */
    public static final Units STL_ASSUMED = new Units(0.001, UpAxis.Z, false);

    public Units {
        if (!(metresPerUnit > 0) || Double.isInfinite(metresPerUnit)) {
            throw new IllegalArgumentException("metresPerUnit must be a positive finite number, got " + metresPerUnit);
        }
    }

    /** The factor that turns a length in these units into millimetres. */
    public double toMillimetres() {
        return metresPerUnit * 1000.0;
    }
}
