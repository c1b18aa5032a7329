// Every shader program the renderer uses, compiled on first use and kept for the context's life.
package dev.meshforge.render.internal;

import java.util.ArrayList;
import java.util.List;

/** Lazily built programs of one GL context. */
final class Programs implements AutoCloseable {
    private final List<ShaderProgram> all = new ArrayList<>();
    private ShaderProgram pbr;
    private ShaderProgram capture;
    private ShaderProgram equirect;
    private ShaderProgram prefilter;
    private ShaderProgram irradiance;
    private ShaderProgram dfg;
    private ShaderProgram resolve;
    private ShaderProgram skybox;
    private ShaderProgram height;
    private ShaderProgram ground;
    private ShaderProgram groundOcclusion;

    private ShaderProgram make(String vertex, String fragment) {
        ShaderProgram p = new ShaderProgram(vertex, fragment);
        all.add(p);
        return p;
    }

    ShaderProgram pbr() {
        return pbr != null ? pbr : (pbr = make("pbr.vert", "pbr.frag"));
    }

    ShaderProgram environmentCapture() {
        return capture != null ? capture : (capture = make("fullscreen.vert", "environment_capture.frag"));
    }

    ShaderProgram equirectCapture() {
        return equirect != null ? equirect : (equirect = make("fullscreen.vert", "environment_equirect.frag"));
    }

    ShaderProgram prefilterSpecular() {
        return prefilter != null ? prefilter : (prefilter = make("fullscreen.vert", "prefilter_specular.frag"));
    }

    ShaderProgram irradiance() {
        return irradiance != null ? irradiance : (irradiance = make("fullscreen.vert", "irradiance.frag"));
    }

    ShaderProgram dfgLut() {
        return dfg != null ? dfg : (dfg = make("fullscreen.vert", "dfg_lut.frag"));
    }

    ShaderProgram resolve() {
        return resolve != null ? resolve : (resolve = make("fullscreen.vert", "resolve.frag"));
    }

    ShaderProgram skybox() {
        return skybox != null ? skybox : (skybox = make("fullscreen.vert", "skybox.frag"));
    }

    ShaderProgram shadowHeight() {
        return height != null ? height : (height = make("shadow_height.vert", "shadow_height.frag"));
    }

    ShaderProgram groundOcclusion() {
        return groundOcclusion != null ? groundOcclusion
                : (groundOcclusion = make("fullscreen.vert", "ground_occlusion.frag"));
    }

    ShaderProgram ground() {
        return ground != null ? ground : (ground = make("ground.vert", "ground.frag"));
    }

    @Override
    public void close() {
        all.forEach(ShaderProgram::close);
        all.clear();
    }
}
