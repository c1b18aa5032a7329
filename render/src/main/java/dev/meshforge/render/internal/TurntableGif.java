// A turntable as an animated GIF, written frame by frame as the views are rendered (ImageIO's GIF writer, which
// quantises each frame to 256 colours), so that no frame needs to stay in memory.
package dev.meshforge.render.internal;

import dev.meshforge.render.Background;
import dev.meshforge.render.RgbaImage;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOInvalidTreeException;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * GIF has one-bit transparency, which would fray antialiased edges and drop the soft shadow: frames are composed
 * over the solid background, or over white where the background is transparent.
 */
public final class TurntableGif implements AutoCloseable {
    private final Path file;
    private final Path partial;
    private final ImageWriter writer;
    private final ImageOutputStream out;
    private final int[] background;
    private final int delayCentiseconds;

    public TurntableGif(Path file, Background bg, int frames) {
        this.file = file;
        this.partial = file.resolveSibling(file.getFileName() + ".part");
        this.background = OpaqueFrame.backdrop(bg);
        // A full turn in about four seconds, however many frames.
        this.delayCentiseconds = Math.max(2, Math.round(400f / frames));
        writer = ImageIO.getImageWritersByFormatName("gif").next();
        try {
            Files.deleteIfExists(partial);
            out = ImageIO.createImageOutputStream(partial.toFile());
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    public void add(RgbaImage frame) {
        BufferedImage rgb = new BufferedImage(frame.width(), frame.height(), BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(0, 0, frame.width(), frame.height(), OpaqueFrame.rgb(frame, background), 0, frame.width());
        try {
            IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(rgb), null);
            loopForever(meta);
            writer.writeToSequence(new IIOImage(rgb, null, meta), null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private void loopForever(IIOMetadata meta) throws IIOInvalidTreeException {
        String format = meta.getNativeMetadataFormatName();
        IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(format);
        IIOMetadataNode control = child(root, "GraphicControlExtension");
        control.setAttribute("disposalMethod", "none");
        control.setAttribute("userInputFlag", "FALSE");
        control.setAttribute("transparentColorFlag", "FALSE");
        control.setAttribute("delayTime", Integer.toString(delayCentiseconds));
        control.setAttribute("transparentColorIndex", "0");
        IIOMetadataNode applications = child(root, "ApplicationExtensions");
        IIOMetadataNode netscape = new IIOMetadataNode("ApplicationExtension");
        netscape.setAttribute("applicationID", "NETSCAPE");
        netscape.setAttribute("authenticationCode", "2.0");
        netscape.setUserObject(new byte[] {1, 0, 0}); // sub-block 1: loop count 0, forever
        applications.appendChild(netscape);
        meta.setFromTree(format, root);
    }

    private static IIOMetadataNode child(IIOMetadataNode root, String name) {
        for (int i = 0; i < root.getLength(); i++) {
            if (root.item(i).getNodeName().equalsIgnoreCase(name)) {
                return (IIOMetadataNode) root.item(i);
            }
        }
        IIOMetadataNode node = new IIOMetadataNode(name);
        root.appendChild(node);
        return node;
    }

    /** Finishes the file and moves it into place. */
    public Path finish() {
        try {
            writer.endWriteSequence();
            out.close();
            Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            writer.dispose();
        }
    }

    /** Abandons an unfinished file. */
    @Override
    public void close() {
        try {
            out.close();
            Files.deleteIfExists(partial);
        } catch (IOException ignored) {
            // nothing more to release
        } finally {
            writer.dispose();
        }
    }
}
