// A linked GL program built from shader resources, whose `#include "chunk.glsl"` lines pull in shared chunks.
package dev.meshforge.render.internal;

import org.lwjgl.system.MemoryStack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.lwjgl.opengl.GL33C.*;

/** A program and its uniform locations, looked up once by name. */
public final class ShaderProgram implements AutoCloseable {
    private static final String ROOT = "/dev/meshforge/render/shaders/";
    private final int id;
    private final Map<String, Integer> locations = new HashMap<>();

    public ShaderProgram(String vertex, String fragment) {
        int vs = compile(GL_VERTEX_SHADER, vertex);
        int fs;
        try {
            fs = compile(GL_FRAGMENT_SHADER, fragment);
        } catch (RuntimeException e) {
            glDeleteShader(vs);
            throw e;
        }
        id = glCreateProgram();
        glAttachShader(id, vs);
        glAttachShader(id, fs);
        glLinkProgram(id);
        glDeleteShader(vs);
        glDeleteShader(fs);
        if (glGetProgrami(id, GL_LINK_STATUS) != GL_TRUE) {
            String log = glGetProgramInfoLog(id);
            glDeleteProgram(id);
            throw new IllegalStateException("shader program " + vertex + " + " + fragment + " does not link: " + log);
        }
    }

    private static int compile(int type, String name) {
        String source = expand(name, new HashSet<>());
        int shader = glCreateShader(type);
        glShaderSource(shader, source);
        glCompileShader(shader);
        if (glGetShaderi(shader, GL_COMPILE_STATUS) != GL_TRUE) {
            String log = glGetShaderInfoLog(shader);
            glDeleteShader(shader);
            throw new IllegalStateException("shader " + name + " does not compile: " + log);
        }
        return shader;
    }

    /** The resource's text with its includes expanded in place, each chunk at most once. */
    static String expand(String name, Set<String> included) {
        StringBuilder out = new StringBuilder();
        for (String line : read(name).split("\n", -1)) {
            String t = line.trim();
            if (t.startsWith("#include \"") && t.endsWith("\"")) {
                String chunk = t.substring(10, t.length() - 1);
                if (included.add(chunk)) {
                    out.append(expand(chunk, included));
                }
            } else {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }

    private static String read(String name) {
        try (InputStream in = ShaderProgram.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException("shader resource " + ROOT + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void use() {
        glUseProgram(id);
    }

    public int location(String uniform) {
        return locations.computeIfAbsent(uniform, u -> glGetUniformLocation(id, u));
    }

    public void set(String uniform, int value) {
        glUniform1i(location(uniform), value);
    }

    public void set(String uniform, boolean value) {
        glUniform1i(location(uniform), value ? 1 : 0);
    }

    public void set(String uniform, float value) {
        glUniform1f(location(uniform), value);
    }

    public void setUnsigned(String uniform, int value) {
        glUniform1ui(location(uniform), value);
    }

    public void set(String uniform, float x, float y) {
        glUniform2f(location(uniform), x, y);
    }

    public void set(String uniform, float x, float y, float z) {
        glUniform3f(location(uniform), x, y, z);
    }

    public void set(String uniform, float x, float y, float z, float w) {
        glUniform4f(location(uniform), x, y, z, w);
    }

    /** A mat4 (16 values) or mat3 (9 values), column-major. */
    public void setMatrix(String uniform, float[] m) {
        try (MemoryStack stack = MemoryStack.stackPush()) {
            FloatBuffer b = stack.floats(m);
            if (m.length == 16) {
                glUniformMatrix4fv(location(uniform), false, b);
            } else {
                glUniformMatrix3fv(location(uniform), false, b);
            }
        }
    }

    /** A mat3 given row-major. */
    public void setMatrix3RowMajor(String uniform, float[] m) {
        try (MemoryStack stack = MemoryStack.stackPush()) {
            glUniformMatrix3fv(location(uniform), true, stack.floats(m));
        }
    }

    @Override
    public void close() {
        glDeleteProgram(id);
    }
}
