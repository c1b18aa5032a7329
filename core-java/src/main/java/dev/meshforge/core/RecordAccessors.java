// A record class's components as Report.toMap needs them, looked up once a class.
package dev.meshforge.core;

import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;

/**
 * A class's record components are parsed from its attributes and copied on every {@code getRecordComponents()};
 * a server writing a report for each of many small tasks paid that on each one. Kept per class here instead.
 */
final class RecordAccessors {
    /** A component's snake_case name and accessor. */
    record Component(String name, Method accessor) {
    }

    static final ClassValue<Component[]> OF = new ClassValue<>() {
        @Override
        protected Component[] computeValue(Class<?> type) {
            RecordComponent[] rc = type.getRecordComponents();
            Component[] out = new Component[rc.length];
            for (int i = 0; i < rc.length; i++) {
                out[i] = new Component(Report.snakeCase(rc[i].getName()), rc[i].getAccessor());
            }
            return out;
        }
    };

    private RecordAccessors() {
    }
}
