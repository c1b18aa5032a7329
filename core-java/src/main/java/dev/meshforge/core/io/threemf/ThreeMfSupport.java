// Registers the 3MF reader and writer with Formats (see FormatSupport).
package dev.meshforge.core.io.threemf;

import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.FormatSupport;

import java.util.Map;

/** The 3MF entry of the format registry. */
public final class ThreeMfSupport extends FormatSupport {
    public ThreeMfSupport() {
        super(Map.of(Format.THREE_MF, ThreeMfReader::new), Map.of(Format.THREE_MF, ThreeMfWriter::new));
    }
}
