// Writes the scene's node animations as FBX animation stacks: one stack and layer an animation, sampled TRS curves.
package dev.meshforge.core.io.fbx;

import dev.meshforge.core.scene.Animation;
import dev.meshforge.core.scene.Mesh;
import dev.meshforge.core.scene.Node;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Transform;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;

import static dev.meshforge.core.io.fbx.FbxWriterNodes.leaf;

/**
 * Each animation becomes an AnimationStack with one AnimationLayer. Every node it moves gets three
 * AnimationCurveNodes (T, R, S, connected to the model's Lcl Translation, Lcl Rotation and Lcl Scaling) of three
 * AnimationCurves each, keyed at every time any of the node's channels has a key: the local transform there
 * (channels interpolated as glTF does: linear, spherical for rotations, step; cubic splines at their values), as
 * FBX translation, XYZ Euler degrees kept continuous from key to key, and scale. Morph weights become one
 * AnimationCurveNode a blend-shape channel ({@code d|DeformPercent}, connected to the channel's DeformPercent),
 * keyed at the weights' key times in percent, as Blender, Maya and 3ds Max read shape-key animation.
 */
final class FbxAnimationWriter {
    /** FBX time units a second. */
    private static final long TICKS = 46_186_158_000L;

    private FbxAnimationWriter() {
    }

    /**
     * @param shapeChannels per mesh, its blend-shape channels' ids in target order
     */
    static void write(Scene scene, FbxNode objects, Map<Node, Long> models, Map<Mesh, long[]> shapeChannels,
                      LongSupplier ids, FbxSkinWriter.Connector connect, Consumer<String> count,
                      Function<Transform, double[]> trs) {
        for (int a = 0; a < scene.animations().size(); a++) {
            Animation anim = scene.animations().get(a);
            Map<Node, Map<Animation.Path, Animation.Channel>> byNode = new LinkedHashMap<>();
            List<Animation.Channel> weights = new ArrayList<>();
            for (Animation.Channel c : anim.channels()) {
                if (!models.containsKey(c.target()) || c.sampler() < 0 || c.sampler() >= anim.samplers().size()) {
                    continue;
                }
                if (c.path() != Animation.Path.WEIGHTS) {
                    byNode.computeIfAbsent(c.target(), k -> new IdentityHashMap<>()).put(c.path(), c);
                } else if (c.target().mesh() != null && shapeChannels.containsKey(c.target().mesh())) {
                    weights.add(c);
                }
            }
            if (byNode.isEmpty() && weights.isEmpty()) {
                continue;
            }
            String name = anim.name() == null || anim.name().isEmpty() ? "animation" + a : anim.name();
            long stack = ids.getAsLong();
            long layer = ids.getAsLong();
            double end = 0;
            for (Animation.Sampler s : anim.samplers()) {
                if (s.keyCount() > 0) {
                    end = Math.max(end, time(s, s.keyCount() - 1));
                }
            }
            FbxNode st = leaf("AnimationStack", stack, name + "\u0000\u0001AnimStack", "");
            st.children.add(FbxWriterNodes.props(
                    FbxWriterNodes.p("LocalStop", "KTime", "Time", "", ticks(end)),
                    FbxWriterNodes.p("ReferenceStop", "KTime", "Time", "", ticks(end))));
            objects.children.add(st);
            count.accept("AnimationStack");
            objects.children.add(leaf("AnimationLayer", layer, "BaseLayer\u0000\u0001AnimLayer", ""));
            count.accept("AnimationLayer");
            connect.connect("OO", layer, stack, null);
            for (Map.Entry<Node, Map<Animation.Path, Animation.Channel>> e : byNode.entrySet()) {
                node(anim, e.getKey(), e.getValue(), models.get(e.getKey()), layer, objects, ids, connect, count, trs);
            }
            for (Animation.Channel c : weights) {
                morphWeights(anim.samplers().get(c.sampler()), shapeChannels.get(c.target().mesh()), layer, objects,
                        ids, connect, count);
            }
        }
    }

    private static void node(Animation anim, Node node, Map<Animation.Path, Animation.Channel> channels, long model,
                             long layer, FbxNode objects, LongSupplier ids, FbxSkinWriter.Connector connect,
                             Consumer<String> count, Function<Transform, double[]> decompose) {
        TreeSet<Double> times = new TreeSet<>();
        for (Animation.Channel c : channels.values()) {
            Animation.Sampler s = anim.samplers().get(c.sampler());
            for (long k = 0; k < s.keyCount(); k++) {
                times.add(time(s, k));
            }
        }
        double[] rest = node.local().toTrs();
        int n = times.size();
        long[] keyTimes = new long[n];
        float[][] values = new float[9][n];
        int i = 0;
        for (double t : times) {
            double[] tr = {rest[0], rest[1], rest[2]};
            double[] q = {rest[3], rest[4], rest[5], rest[6]};
            double[] sc = {rest[7], rest[8], rest[9]};
            sample(anim, channels.get(Animation.Path.TRANSLATION), t, tr);
            sample(anim, channels.get(Animation.Path.ROTATION), t, q);
            sample(anim, channels.get(Animation.Path.SCALE), t, sc);
            double[] d = decompose.apply(Transform.fromTrs(tr, q, sc));
            for (int k = 0; k < 9; k++) {
                double v = d[k];
                if (k >= 3 && k < 6 && i > 0) {
                    // the Euler angle nearest the previous key's, so that curves do not spin through 360 degrees
                    v += 360.0 * Math.round((values[k][i - 1] - v) / 360.0);
                }
                values[k][i] = (float) v;
            }
            keyTimes[i++] = ticks(t);
        }
        String[] names = {"T", "R", "S"};
        String[] properties = {"Lcl Translation", "Lcl Rotation", "Lcl Scaling"};
        for (int g = 0; g < 3; g++) {
            long curveNode = ids.getAsLong();
            FbxNode cn = leaf("AnimationCurveNode", curveNode, names[g] + "\u0000\u0001AnimCurveNode", "");
            cn.children.add(FbxWriterNodes.props(
                    FbxWriterNodes.p("d|X", "Number", "", "A", (double) values[3 * g][0]),
                    FbxWriterNodes.p("d|Y", "Number", "", "A", (double) values[3 * g + 1][0]),
                    FbxWriterNodes.p("d|Z", "Number", "", "A", (double) values[3 * g + 2][0])));
            objects.children.add(cn);
            count.accept("AnimationCurveNode");
            connect.connect("OO", curveNode, layer, null);
            connect.connect("OP", curveNode, model, properties[g]);
            for (int axis = 0; axis < 3; axis++) {
                curve(values[3 * g + axis], keyTimes, curveNode, "d|" + "XYZ".charAt(axis), false, objects, ids,
                        connect, count);
            }
        }
    }

    /** Per blend-shape channel, a DeformPercent curve of the sampler's weights (times 100) at its key times. */
    private static void morphWeights(Animation.Sampler s, long[] channels, long layer, FbxNode objects,
                                     LongSupplier ids, FbxSkinWriter.Connector connect, Consumer<String> count) {
        int n = (int) s.keyCount();
        int targets = s.components();
        boolean cubic = s.interpolation() == Animation.Interpolation.CUBICSPLINE;
        if (n == 0 || targets <= 0 || (long) n * targets * (cubic ? 3 : 1) > s.valueCount()) {
            return;
        }
        long[] keyTimes = new long[n];
        for (int k = 0; k < n; k++) {
            keyTimes[k] = ticks(time(s, k));
        }
        for (int t = 0; t < Math.min(targets, channels.length); t++) {
            float[] percent = new float[n];
            for (int k = 0; k < n; k++) {
                percent[k] = (float) (100.0 * value(s.values(), k, targets, cubic)[t]);
            }
            long curveNode = ids.getAsLong();
            FbxNode cn = leaf("AnimationCurveNode", curveNode, "DeformPercent\u0000\u0001AnimCurveNode", "");
            cn.children.add(FbxWriterNodes.props(
                    FbxWriterNodes.p("d|DeformPercent", "Number", "", "A", (double) percent[0])));
            objects.children.add(cn);
            count.accept("AnimationCurveNode");
            connect.connect("OO", curveNode, layer, null);
            connect.connect("OP", curveNode, channels[t], "DeformPercent");
            curve(percent, keyTimes, curveNode, "d|DeformPercent", s.interpolation() == Animation.Interpolation.STEP,
                    objects, ids, connect, count);
        }
    }

    /** One AnimationCurve of {@code values} at {@code keyTimes}, linear (or constant) between keys. */
    private static void curve(float[] values, long[] keyTimes, long curveNode, String property, boolean step,
                              FbxNode objects, LongSupplier ids, FbxSkinWriter.Connector connect,
                              Consumer<String> count) {
        long curve = ids.getAsLong();
        FbxNode c = leaf("AnimationCurve", curve, "\u0000\u0001AnimCurve", "");
        c.children.add(leaf("Default", (double) values[0]));
        c.children.add(leaf("KeyVer", 4009));
        c.children.add(leaf("KeyTime", keyTimes));
        c.children.add(leaf("KeyValueFloat", values));
        // one shared attribute set: linear (or constant) interpolation, no tangents
        c.children.add(leaf("KeyAttrFlags", new int[] {step ? 2 : 4}));
        c.children.add(leaf("KeyAttrDataFloat", new float[] {0, 0, 0, 0}));
        c.children.add(leaf("KeyAttrRefCount", new int[] {values.length}));
        objects.children.add(c);
        count.accept("AnimationCurve");
        connect.connect("OP", curve, curveNode, property);
    }

    private static long ticks(double seconds) {
        return Math.round(seconds * TICKS);
    }

    private static double time(Animation.Sampler s, long k) {
        return FbxWriter.f(s.times(), k);
    }

    /** The channel's value at time t into {@code out} (left as it is where there is no channel). */
    private static void sample(Animation anim, Animation.Channel channel, double t, double[] out) {
        if (channel == null) {
            return;
        }
        Animation.Sampler s = anim.samplers().get(channel.sampler());
        int c = out.length;
        long keys = s.keyCount();
        if (keys == 0 || s.components() != c) {
            return;
        }
        boolean cubic = s.interpolation() == Animation.Interpolation.CUBICSPLINE;
        long hi = 0;
        while (hi < keys && time(s, hi) < t) {
            hi++;
        }
        long lo = Math.max(0, hi - 1);
        hi = Math.min(hi, keys - 1);
        double t0 = time(s, lo);
        double t1 = time(s, hi);
        double u = hi == lo || t1 <= t0 ? 0 : (t - t0) / (t1 - t0);
        if (s.interpolation() == Animation.Interpolation.STEP) {
            u = 0;
        }
        if (time(s, hi) <= t) {
            lo = hi;
            u = 0;
        }
        double[] a = value(s.values(), lo, c, cubic);
        double[] b = value(s.values(), hi, c, cubic);
        if (c == 4) {
            double dot = a[0] * b[0] + a[1] * b[1] + a[2] * b[2] + a[3] * b[3];
            double sign = dot < 0 ? -1 : 1;
            for (int k = 0; k < 4; k++) {
                out[k] = a[k] * (1 - u) + sign * b[k] * u;
            }
        } else {
            for (int k = 0; k < c; k++) {
                out[k] = a[k] * (1 - u) + b[k] * u;
            }
        }
    }

    private static double[] value(MemorySegment values, long key, int c, boolean cubic) {
        double[] v = new double[c];
        long base = (cubic ? 3 * key + 1 : key) * c;
        for (int k = 0; k < c; k++) {
            v[k] = FbxWriter.f(values, base + k);
        }
        return v;
    }
}
