// Registers the ZIP reader (a model in an archive) and the OBJ-in-ZIP writer with Formats (see FormatSupport).
package dev.meshforge.core.io.zip;

import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.FormatSupport;
import dev.meshforge.core.io.Formats;

import java.util.Map;

/** The ZIP (read: a model in an archive; written: OBJ with its MTL and textures) entry of the format registry. */
public final class ZipSupport extends FormatSupport {
    public ZipSupport() {
        super(Map.of(Format.ZIP, () -> new ZipReader(Formats::read)), Map.of(Format.OBJ_ZIP, ObjZipWriter::new));
    }
}
