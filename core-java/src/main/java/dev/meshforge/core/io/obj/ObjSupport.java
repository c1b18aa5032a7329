// Registers the OBJ reader and writer with Formats (see FormatSupport).
package dev.meshforge.core.io.obj;

import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.FormatSupport;

import java.util.Map;

/** The OBJ entry of the format registry. */
public final class ObjSupport extends FormatSupport {
    public ObjSupport() {
        super(Map.of(Format.OBJ, ObjReader::new), Map.of(Format.OBJ, ObjWriter::new));
    }
}
