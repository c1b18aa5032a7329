// The file formats meshforge knows, with their extensions and content sniffing.
package dev.meshforge.core.io;

import dev.meshforge.core.UnsupportedFeatureException;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** A model file format. */
public enum Format {
    STL("stl"),
    GLB("glb"),
    GLTF("gltf"),
    OBJ("obj"),
    PLY("ply"),
    FBX("fbx"),
    ZIP("zip"),
    /** OBJ with its MTL and textures in one ZIP archive: written only; a .zip file reads as {@link #ZIP}. */
    OBJ_ZIP("zip"),
    /** An FBX model with its textures in one ZIP archive: written only; a .zip file reads as {@link #ZIP}. */
    FBX_ZIP("zip"),
    /** 3D Manufacturing Format: a ZIP package whose model part is XML; told from a plain ZIP by its extension. */
    THREE_MF("3mf", "3mf");

    private final String extension;
    private final String id;

    Format(String extension) {
        this.extension = extension;
        this.id = name().toLowerCase(Locale.ROOT);
    }

    Format(String extension, String id) {
        this.extension = extension;
        this.id = id;
    }

    public String extension() {
        return extension;
    }

    /** The name users give ({@code --to}, {@code output_format}): "glb", "obj_zip", "3mf". */
    public String id() {
        return id;
    }

    /** A file's name without its extension ("part" for {@code dir/part.stl}; a leading dot is part of the name). */
    public static String stem(Path file) {
        String n = file.getFileName() == null ? "" : file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    /** The format named by a file's extension, ignoring case. */
    public static Optional<Format> byExtension(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        String ext = name.substring(dot + 1);
        for (Format f : values()) {
            if (f.extension.equals(ext)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** The lower-case names of the formats that can be written (every one but {@link #ZIP}, which is read only). */
    public static List<String> outputNames() {
        return Arrays.stream(values()).filter(f -> f != ZIP).map(Format::id).toList();
    }

    /**
     * An output format by its name, ignoring case ("glb", "obj_zip", ...).
     *
     * @throws UnsupportedFeatureException naming the choices, for a name that is not an output format
     */
    public static Format parseOutput(String name) {
        for (Format f : values()) {
            if (f != ZIP && f.id.equalsIgnoreCase(name)) {
                return f;
            }
        }
        throw new UnsupportedFeatureException("unknown output format '" + name + "'; choose one of "
                + String.join(", ", outputNames()));
    }

    /**
     * The output format an output file's extension names; a {@code .zip} means {@link #OBJ_ZIP}.
     *
     * @throws UnsupportedFeatureException where the extension names none, asking for an explicit format
     */
    public static Format forOutput(Path out) {
        String name = out.getFileName() == null ? "" : out.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".zip")) {
            return OBJ_ZIP;
        }
        return byExtension(out).filter(f -> f != ZIP).orElseThrow(() -> new UnsupportedFeatureException(
                "cannot tell the output format from '" + out.getFileName() + "'; give --to ("
                        + String.join(", ", outputNames()) + ")"));
    }

    /**
     * The format of a file with these first bytes and this name: the content decides where it is distinctive, the
     * extension otherwise, and a ZIP container named {@code .3mf} is 3MF.
     */
    public static Optional<Format> detect(byte[] head, int length, Path file) {
        Optional<Format> sniffed = sniff(head, length);
        Optional<Format> named = byExtension(file);
        if (sniffed.equals(Optional.of(ZIP)) && named.equals(Optional.of(THREE_MF))) {
            return named;
        }
        return sniffed.or(() -> named);
    }

    /**
     * The format a file's first bytes reveal, where they are distinctive (GLB, ZIP, PLY, binary FBX). Text
     * formats without a magic number (OBJ, STL, glTF JSON) are left to the extension.
     */
    public static Optional<Format> sniff(byte[] head, int length) {
        if (startsWith(head, length, "glTF")) {
            return Optional.of(GLB);
        }
        if (length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            return Optional.of(ZIP);
        }
        if (startsWith(head, length, "ply\n") || startsWith(head, length, "ply\r")) {
            return Optional.of(PLY);
        }
        if (startsWith(head, length, "Kaydara FBX Binary")) {
            return Optional.of(FBX);
        }
        return Optional.empty();
    }

    private static boolean startsWith(byte[] head, int length, String magic) {
        if (length < magic.length()) {
            return false;
        }
        for (int i = 0; i < magic.length(); i++) {
            if (head[i] != magic.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
