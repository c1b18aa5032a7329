// Registers the STL reader and writer with Formats (see FormatSupport).
package dev.meshforge.core.io.stl;

import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.FormatSupport;

import java.util.Map;

/** The STL entry of the format registry. */
public final class StlSupport extends FormatSupport {
    public StlSupport() {
        super(Map.of(Format.STL, StlReader::new), Map.of(Format.STL, StlWriter::new));
    }
}
