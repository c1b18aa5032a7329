// Registers the FBX reader and writer with Formats (see FormatSupport).
package dev.meshforge.core.io.fbx;

import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.FormatSupport;

import java.util.Map;

/** The FBX entry of the format registry. */
public final class FbxSupport extends FormatSupport {
    public FbxSupport() {
        super(Map.of(Format.FBX, FbxReader::new), Map.of(Format.FBX, FbxWriter::new, Format.FBX_ZIP, FbxZipWriter::new));
    }
}
