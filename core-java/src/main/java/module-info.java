/**
 * meshforge core: the scene model, the format readers and writers, the kernel's Java face and the tools (the ops
 * contract). Packages named {@code internal} are not exported: they may change with any release.
 */
module dev.meshforge.core {
    requires com.fasterxml.jackson.databind;
    requires java.xml;
    requires org.lwjgl;
    requires org.lwjgl.meshoptimizer;
    requires org.lwjgl.stb;
    requires org.lwjgl.ktx;

    exports dev.meshforge.core;
    exports dev.meshforge.core.inspect;
    exports dev.meshforge.core.io;
    exports dev.meshforge.core.io.fbx;
    exports dev.meshforge.core.io.gltf;
    exports dev.meshforge.core.io.obj;
    exports dev.meshforge.core.io.ply;
    exports dev.meshforge.core.io.stl;
    exports dev.meshforge.core.io.threemf;
    exports dev.meshforge.core.io.zip;
    exports dev.meshforge.core.kernel;
    exports dev.meshforge.core.ops;
    exports dev.meshforge.core.optimize;
    exports dev.meshforge.core.scene;

    // Each format package registers its readers and writers (io.Formats names none of them); keep this list and
    // META-INF/services/dev.meshforge.core.io.FormatSupport (read on the class path) the same.
    uses dev.meshforge.core.io.FormatSupport;
    provides dev.meshforge.core.io.FormatSupport with
            dev.meshforge.core.io.stl.StlSupport,
            dev.meshforge.core.io.gltf.GltfSupport,
            dev.meshforge.core.io.obj.ObjSupport,
            dev.meshforge.core.io.ply.PlySupport,
            dev.meshforge.core.io.fbx.FbxSupport,
            dev.meshforge.core.io.zip.ZipSupport,
            dev.meshforge.core.io.threemf.ThreeMfSupport;
}
