// A growable int array for indices and vertex tuples whose counts a text file reveals only at its end.
package dev.meshforge.core.io.obj;

import java.util.Arrays;

/** An append-only list of ints backed by one array. */
final class IntList {
    int[] a;
    int size;

    IntList(int capacity) {
        a = new int[Math.max(8, capacity)];
    }

    void add(int v) {
        if (size == a.length) {
            grow(1);
        }
        a[size++] = v;
    }

    void add(int x, int y, int z) {
        if (size + 3 > a.length) {
            grow(3);
        }
        a[size] = x;
        a[size + 1] = y;
        a[size + 2] = z;
        size += 3;
    }

    private void grow(int more) {
        long grown = Math.max((long) size + more, (long) a.length * 3 / 2 + 8);
        if (grown > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("more than " + (Integer.MAX_VALUE - 16) + " ints in one list");
        }
        a = Arrays.copyOf(a, (int) grown);
    }
}
