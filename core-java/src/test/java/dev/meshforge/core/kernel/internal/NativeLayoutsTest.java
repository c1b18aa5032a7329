// The Java layouts of kernel.h's structs against the C compiler's: the build writes every sizeof and
// offsetof to target/native/kernel_layouts.tsv (native/tests/layout_probe.cpp); any drift fails here.
package dev.meshforge.core.kernel.internal;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.PaddingLayout;
import java.lang.foreign.StructLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NativeLayoutsTest {
    /** struct -> lines "field offset size" (the struct's own line has an empty field and its size, alignment). */
    private static Map<String, List<String>> compilerTable() throws IOException {
        Path dir = Path.of(System.getProperty("meshforge.native.build", "target/native"));
        Path table = dir.resolve("kernel_layouts.tsv");
        assertTrue(Files.isRegularFile(table), table.toAbsolutePath() + " is missing: the CMake build writes it "
                + "(target mf_kernel_layouts); build core-java with Maven first");
        Map<String, List<String>> byStruct = new TreeMap<>();
        for (String line : Files.readAllLines(table)) {
            String[] cells = line.split("\t", -1);
            assertEquals(4, cells.length, "a line of " + table + ": " + line);
            byStruct.computeIfAbsent(cells[0], k -> new ArrayList<>()).add(cells[1] + " " + cells[2] + " " + cells[3]);
        }
        return byStruct;
    }

    /** The same lines from a Java layout: its size and alignment, then every named member. */
    private static List<String> javaTable(StructLayout layout) {
        List<String> lines = new ArrayList<>();
        lines.add(" " + layout.byteSize() + " " + layout.byteAlignment());
        for (MemoryLayout member : layout.memberLayouts()) {
            if (member instanceof PaddingLayout) {
                continue;
            }
            String name = member.name().orElseThrow(() -> new AssertionError("an unnamed member in " + layout));
            long offset = layout.byteOffset(MemoryLayout.PathElement.groupElement(name));
            lines.add(name + " " + offset + " " + member.byteSize());
        }
        return lines;
    }

    @Test
    void everyJavaLayoutHasTheCompilersSizeAndOffsets() throws IOException {
        Map<String, List<String>> compiler = compilerTable();
        assertEquals(compiler.keySet(), new TreeMap<>(NativeLayouts.ALL).keySet(),
                "the structs of kernel.h and of NativeLayouts");
        for (Map.Entry<String, StructLayout> e : NativeLayouts.ALL.entrySet()) {
            assertEquals(compiler.get(e.getKey()), javaTable(e.getValue()), e.getKey() + " (field offset size)");
        }
    }

    @Test
    void theTableIsWhatTheKernelHeaderSaysOfItsLargestStruct() throws IOException {
        // Fixed points of ABI 5 that a probe printing the wrong thing could not pass: mf_repair_result holds
        // two 152-byte reports after 48 bytes of buffers and counts.
        List<String> result = compilerTable().get("mf_repair_result");
        assertTrue(result.contains("before 48 152"), result.toString());
        assertTrue(result.contains("after 200 152"), result.toString());
        assertTrue(result.contains("hausdorff_out_in_patched 432 8"), result.toString());
        assertTrue(result.contains("lost 440 8"), result.toString());
        assertTrue(result.contains("lost_area 448 8"), result.toString());
        assertEquals(" 456 8", result.get(0));
    }

    @Test
    void nestedReportsAreReachedByName() {
        assertEquals(48 + 80, NativeLayouts.MF_REPAIR_RESULT.byteOffset(
                MemoryLayout.PathElement.groupElement("before"), MemoryLayout.PathElement.groupElement("watertight")));
        assertTrue(NativeLayouts.MF_REPAIR_RESULT.select(MemoryLayout.PathElement.groupElement("after"))
                instanceof GroupLayout);
    }
}
