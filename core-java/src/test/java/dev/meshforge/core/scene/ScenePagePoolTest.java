// A scene buffer on a mapping an earlier scene released starts zeroed again; the released ones kept are bounded.
package dev.meshforge.core.scene;

import dev.meshforge.core.scene.internal.KernelPages;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScenePagePoolTest {
    /** 3 MiB of floats: at least KernelPages.HUGE_PAGE, so a mapping that a later scene may reuse. */
    private static final long FLOATS = 3L << 18;

    @Test
    void aBufferOnTheMemoryOfAClosedScenesBufferStartsZeroed() {
        for (int round = 0; round < 4; round++) {
            try (Scene dirty = new Scene()) {
                MemorySegment f = dirty.allocateFloats(FLOATS);
                MemorySegment g = dirty.allocateFilled(ValueLayout.JAVA_FLOAT, FLOATS);
                f.fill((byte) 0x7F);
                g.fill((byte) 0x3C);
            }
            try (Scene next = new Scene()) {
                MemorySegment f = next.allocateFloats(FLOATS);
                MemorySegment i = next.allocateInts(FLOATS);
                for (long at = 0; at < FLOATS; at++) {
                    assertEquals(0, f.getAtIndex(ValueLayout.JAVA_INT, at), "float " + at + ", round " + round);
                    assertEquals(0, i.getAtIndex(ValueLayout.JAVA_INT, at), "int " + at + ", round " + round);
                }
                MemorySegment filled = next.allocateFilled(ValueLayout.JAVA_FLOAT, FLOATS);
                for (long at = 0; at < FLOATS; at += 997) {
                    filled.setAtIndex(ValueLayout.JAVA_FLOAT, at, at);
                }
                for (long at = 0; at < FLOATS; at += 997) {
                    assertEquals((float) at, filled.getAtIndex(ValueLayout.JAVA_FLOAT, at));
                }
            }
        }
    }

    @Test
    void thePropertyWinsOverTheDefaultAProcessPicksForZeroingReusedBuffers() {
        String property = System.getProperty("meshforge.scrubReusedPages");
        boolean was = KernelPages.scrubsReused();
        try {
            System.clearProperty("meshforge.scrubReusedPages");
            Scene.zeroReusedBuffersUnlessSet(false);
            assertFalse(KernelPages.scrubsReused(), "unset: the process's default, off");
            Scene.zeroReusedBuffersUnlessSet(true);
            assertTrue(KernelPages.scrubsReused(), "unset: the process's default, on");
            System.setProperty("meshforge.scrubReusedPages", "false");
            Scene.zeroReusedBuffersUnlessSet(true);
            assertFalse(KernelPages.scrubsReused(), "false: off whatever the process picks");
            System.setProperty("meshforge.scrubReusedPages", "true");
            Scene.zeroReusedBuffersUnlessSet(false);
            assertTrue(KernelPages.scrubsReused(), "true: on whatever the process picks");
        } finally {
            if (property == null) {
                System.clearProperty("meshforge.scrubReusedPages");
            } else {
                System.setProperty("meshforge.scrubReusedPages", property);
            }
            Scene.zeroReusedBuffers(was);
        }
    }

    @Test
    void byDefaultAFilledBufferNeverShowsAClosedScenesBytes() {
        assertTrue(KernelPages.scrubsReused(), "zeroing reused buffers is the default");
        for (int round = 0; round < 4; round++) {
            try (Scene dirty = new Scene()) {
                dirty.allocateFilled(ValueLayout.JAVA_FLOAT, FLOATS).fill((byte) 0x3C);
            }
            try (Scene next = new Scene()) {
                MemorySegment g = next.allocateFilled(ValueLayout.JAVA_FLOAT, FLOATS);
                for (long at = 0; at < FLOATS; at++) {
                    assertEquals(0, g.getAtIndex(ValueLayout.JAVA_INT, at), "int " + at + ", round " + round);
                }
            }
        }
    }

    @Test
    void theReleasedMappingsKeptNeverPassTheBound() {
        long each = 24L << 20;
        int scenes = (int) (KernelPages.POOL_BYTES / each) + 3;
        List<Scene> open = new ArrayList<>();
        try {
            for (int k = 0; k < scenes; k++) {
                Scene s = new Scene();
                open.add(s);
                s.allocateInts(each / 4); // a fresh mapping: zero pages, never written here
            }
        } finally {
            for (Scene s : open) {
                s.close();
                assertTrue(KernelPages.pooledBytes() <= KernelPages.POOL_BYTES,
                        KernelPages.pooledBytes() + " bytes kept, more than " + KernelPages.POOL_BYTES);
            }
        }
        assertTrue(KernelPages.pooledBytes() > 0, "nothing kept for the next read");
    }
}
