// Registers the PLY reader and writer with Formats (see FormatSupport).
package dev.meshforge.core.io.ply;

import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.FormatSupport;

import java.util.Map;

/** The PLY entry of the format registry. */
public final class PlySupport extends FormatSupport {
    public PlySupport() {
        super(Map.of(Format.PLY, PlyReader::new), Map.of(Format.PLY, PlyWriter::new));
    }
}
