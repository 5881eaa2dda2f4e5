package io.sluice.api;

/**
 * Produces events and hands them to its {@link ChannelProcessor}. Either an
 * {@link EventDrivenSource} (it has its own threads or event loop) or a {@link PollableSource}
 * (a runner thread calls {@code process()}).
 */
public interface Source extends Component {

    void setChannelProcessor(ChannelProcessor processor);

    ChannelProcessor getChannelProcessor();
}
