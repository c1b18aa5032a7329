// A task's status answer, the API's most frequent one, written member by member as JSON bytes.
package dev.meshforge.server.internal;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/**
 * The members in the order the OpenAPI document lists them, nulls written out. Written straight through Jackson's
 * generator: a map of the members (and one a result) handed to the mapper cost a lookup of a serializer for every
 * value, and polls are most of the API's requests.
 */
final class StatusAnswer {
    private StatusAnswer() {
    }

    /**
     * @param assets the absolute URL under which the task's assets are downloaded, ending in {@code /assets/}
     */
    static byte[] bytes(TaskStore.View view, String assets) {
        TaskStore.Task task = view.task();
        ByteArrayOutputStream out = new ByteArrayOutputStream(task.report() == null ? 512
                : 512 + task.report().length());
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("task_id", task.id());
            g.writeStringField("tool", task.tool());
            g.writeStringField("status", task.status());
            g.writeNumberField("progress", task.progress());
            g.writeStringField("stage", task.stage());
            g.writeStringField("failure_reason", task.failureReason());
            g.writeArrayFieldStart("results");
            if (task.status().equals("FINISHED")) {
                results(g, view.results(), assets);
            }
            g.writeEndArray();
            g.writeFieldName("report");
            if (task.report() == null) {
                g.writeNull();
            } else {
                // Written as JSON once, when the task finished; it goes out as it is stored.
                g.writeRawValue(task.report());
            }
            g.writeNumberField("cost", task.cost());
            instant(g, "created_at", task.createdAt());
            instant(g, "started_at", task.startedAt());
            instant(g, "finished_at", task.finishedAt());
            instant(g, "expires_at", task.expiresAt());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The result files but thumbnails, each naming its thumbnail where the task made one. */
    private static void results(JsonGenerator g, List<TaskStore.Result> all, String assets) throws IOException {
        for (TaskStore.Result r : all) {
            if (r.assetType().equals("thumbnail")) {
                continue;   // offered as its asset's thumbnail
            }
            g.writeStartObject();
            g.writeStringField("asset", assets + r.name());
            g.writeStringField("asset_type", r.assetType());
            g.writeStringField("name", r.name());
            g.writeNumberField("bytes", r.bytes());
            String thumbnail = r.name() + Thumbnails.SUFFIX;
            g.writeStringField("thumbnail", has(all, thumbnail) ? assets + thumbnail : null);
            g.writeEndObject();
        }
    }

    /** Whether a result is named {@code name}: a task has a handful of results, a set of their names costs more. */
    private static boolean has(List<TaskStore.Result> all, String name) {
        for (TaskStore.Result r : all) {
            if (r.name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static void instant(JsonGenerator g, String field, Instant value) throws IOException {
        g.writeStringField(field, value == null ? null : value.toString());
    }
}
