// Task files in an S3-compatible bucket, shared by API and worker processes on any number of machines.
package dev.meshforge.server.internal;

import dev.meshforge.server.ServerConfig;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Objects are {@code <prefix>tasks/<id>/<model>} and {@code <prefix>results/<id>/<name>}, the same layout as
 * {@link DirectoryTaskFiles}. A worker copies the model into its scratch folder before reading it (readers need a
 * file, and an archive's companions a folder); results are uploaded from the worker's output folder. Every SDK
 * failure becomes an {@link IOException} naming the bucket and key, so that a task fails (and is refunded) rather
 * than a thread dying.
 */
public final class S3TaskFiles implements TaskFiles, AutoCloseable {
    private final S3Client s3;
    private final String bucket;
    private final String prefix;

    public S3TaskFiles(ServerConfig.S3 config) {
        AwsCredentialsProvider credentials = config.accessKey() != null
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(config.accessKey(), config.secretKey()))
                : DefaultCredentialsProvider.builder().build();
        var builder = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(Region.of(config.region()))
                .credentialsProvider(credentials)
                .forcePathStyle(config.pathStyle())
                // Checksums only where S3 requires them: the SDK's default trailing CRCs are an AWS extension that
                // several S3-compatible servers (S3Proxy, older MinIO and Ceph) reject.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (config.endpoint() != null) {
            builder.endpointOverride(URI.create(config.endpoint()));
        }
        this.s3 = builder.build();
        this.bucket = config.bucket();
        this.prefix = config.prefix();
    }

    /** Makes the bucket where it does not exist yet (an operator may also make it beforehand). */
    public void ensureBucket() throws IOException {
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw failure("open the bucket", "", e);
            }
            try {
                s3.createBucket(b -> b.bucket(bucket));
            } catch (SdkException c) {
                throw failure("create the bucket", "", c);
            }
        } catch (SdkException e) {
            throw failure("reach the bucket", "", e);
        }
    }

    @Override
    public void putInput(String taskId, String name, Path file) throws IOException {
        put(key("tasks", taskId, name), file);
    }

    @Override
    public void putInput(String taskId, String name, byte[] content, int length) throws IOException {
        String key = key("tasks", taskId, name);
        try {
            s3.putObject(p -> p.bucket(bucket).key(key), RequestBody.fromRemainingByteBuffer(
                    java.nio.ByteBuffer.wrap(content, 0, length)));
        } catch (SdkException e) {
            throw failure("store", key, e);
        }
    }

    @Override
    public Path input(String taskId, String name, Path scratch) throws IOException {
        String key = key("tasks", taskId, name);
        Path to = scratch.resolve("in").resolve(name);
        Files.createDirectories(to.getParent());
        try (InputStream in = open(key)) {
            Files.copy(in, to);
        }
        return to;
    }

    @Override
    public void deleteInput(String taskId, String name, boolean onlyRun) throws IOException {
        String key = key("tasks", taskId, name);
        try {
            // S3 answers a delete of a key it does not hold with success as well.
            s3.deleteObject(d -> d.bucket(bucket).key(key));
        } catch (SdkException e) {
            throw failure("delete", key, e);
        }
    }

    @Override
    public void putResult(String taskId, String name, Path file) throws IOException {
        put(key("results", taskId, name), file);
    }

    @Override
    public InputStream openResult(String taskId, String name) throws IOException {
        return open(key("results", taskId, name));
    }

    @Override
    public void delete(String taskId) throws IOException {
        for (String area : List.of("tasks", "results")) {
            String folder = key(area, taskId, "x");
            folder = folder.substring(0, folder.length() - 1);
            try {
                // One DeleteObject a file: a task has a few, and the batch DeleteObjects needs a checksum header
                // that some S3-compatible servers (S3Proxy among them) do not implement.
                List<String> keys = s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket)
                        .prefix(folder).build()).contents().stream().map(S3Object::key).toList();
                for (String k : keys) {
                    s3.deleteObject(d -> d.bucket(bucket).key(k));
                }
            } catch (SdkException e) {
                throw failure("delete", folder, e);
            }
        }
    }

    private void put(String key, Path file) throws IOException {
        try {
            s3.putObject(p -> p.bucket(bucket).key(key), RequestBody.fromFile(file));
        } catch (SdkException e) {
            throw failure("store", key, e);
        }
        Files.deleteIfExists(file);
    }

    private InputStream open(String key) throws IOException {
        try {
            return s3.getObject(g -> g.bucket(bucket).key(key));
        } catch (NoSuchKeyException e) {
            throw new NoSuchFileException(key);
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new NoSuchFileException(key);
            }
            throw failure("read", key, e);
        } catch (SdkException e) {
            throw failure("read", key, e);
        }
    }

    /** The object key of a task's file; the id and name must be single plain segments (checked again here). */
    private String key(String area, String taskId, String name) {
        for (String part : List.of(taskId, name)) {
            if (part.isEmpty() || part.contains("/") || part.contains("\\") || part.startsWith(".")) {
                throw new IllegalArgumentException("not a plain file name: " + part);
            }
        }
        return prefix + area + "/" + taskId + "/" + name;
    }

    private IOException failure(String what, String key, Exception e) {
        return new IOException("could not " + what + " s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
    }

    @Override
    public void close() {
        s3.close();
    }
}
